import { accountUseCases } from './accounts/accounts.js';
import { apiKeyUseCases } from './api-keys/api-keys.js';
import { LastUsedTracker } from './api-keys/last-used.js';
import { auditUseCases } from './audit/audit.js';
import { authenticator } from './auth/authenticate.js';
import { billingUseCases } from './billing/billing.js';
import type { BillingProvider } from './billing/provider.js';
import { testModeBillingProvider } from './billing/test-mode.js';
import { type Clock, systemClock } from './clock.js';
import { type CoreConfig, type CoreContext, DEFAULT_CONFIG } from './context.js';
import type { DatabaseHandle } from './db/open.js';
import type { DnsResolver } from './domains/dns.js';
import { domainUseCases, joinByDomain } from './domains/domains.js';
import { type IdSource, randomIds } from './ids.js';
import { invitationUseCases } from './invitations/invitations.js';
import { inviteLinkUseCases } from './invite-link/invite-link.js';
import type { Mailer } from './mail/mailer.js';
import { memberUseCases } from './members/members.js';
import { operatorUsageUseCases, operatorUseCases } from './operator/operator.js';
import { organizationUseCases } from './organizations/organizations.js';
import { usageUseCases } from './usage/usage.js';

/** The core's explicit dependencies: everything from outside comes in here. */
export interface CoreDeps {
  database: DatabaseHandle;
  mailer: Mailer;
  /** TXT lookups for domain verification. */
  dns: DnsResolver;
  clock?: Clock;
  ids?: IdSource;
  config?: Partial<CoreConfig>;
  /** The billing provider; the built-in test-mode provider when absent. */
  billing?: (ctx: CoreContext) => BillingProvider;
}

/** Builds the core: every use case, bound to one context. Adapters call nothing else. */
export function createCore(deps: CoreDeps) {
  const ctx: CoreContext = {
    db: deps.database.db,
    dialect: deps.database.dialect,
    clock: deps.clock ?? systemClock,
    ids: deps.ids ?? randomIds,
    mailer: deps.mailer,
    dns: deps.dns,
    config: { ...DEFAULT_CONFIG, ...deps.config, publicUrl: (deps.config?.publicUrl ?? DEFAULT_CONFIG.publicUrl).replace(/\/+$/, '') },
  };
  const lastUsed = new LastUsedTracker();
  const { createWithOwner, ...organizations } = organizationUseCases(ctx);
  const billing = billingUseCases(ctx, (deps.billing ?? testModeBillingProvider)(ctx));
  const usage = usageUseCases(ctx, { defaultQuotas: ctx.config.defaultQuotas, portalLinkFor: billing.portalLinkFor });
  return {
    config: ctx.config,
    authenticate: authenticator(ctx, lastUsed),
    accounts: accountUseCases(ctx, { onVerifiedEmail: (db, user) => joinByDomain(ctx, db, user) }),
    domains: domainUseCases(ctx, ctx.dns),
    organizations,
    members: memberUseCases(ctx),
    invitations: invitationUseCases(ctx),
    inviteLink: inviteLinkUseCases(ctx),
    apiKeys: apiKeyUseCases(ctx, lastUsed),
    audit: auditUseCases(ctx),
    /** For the operator's CLI only; never mounted on REST or MCP. */
    usage,
    billing,
    operator: {
      ...operatorUseCases(ctx),
      ...operatorUsageUseCases(ctx, { defaultQuotas: ctx.config.defaultQuotas, setPaymentMethod: billing.setPaymentMethodAsOperator }),
      createOrganization: createWithOwner,
    },
    /** Is the database reachable? For readiness probes. */
    async ping(): Promise<void> {
      await ctx.db.selectFrom('organizations').select('id').limit(1).execute();
    },
  };
}

export type Core = ReturnType<typeof createCore>;
