/**
 * What only the platform operator does, through the CLI on the server: create organizations
 * with their first owner key, mint keys for an organization. No adapter exposes these to
 * organization keys.
 */
import { z } from 'zod';
import { mintApiKey } from '../api-keys/api-keys.js';
import { createApiKeyInput } from '../api-keys/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { CoreContext } from '../context.js';
import { greatestFunction } from '../db/dialect.js';
import { DomainError } from '../errors.js';
import { toOrganization } from '../organizations/present.js';
import type { Organization } from '../organizations/schema.js';
import { OPERATOR } from '../principal.js';
import { fromMilli, toMilli } from '../usage/quantity.js';
import { addGrantInput, setQuotaInput } from '../usage/schema.js';
import { isLocalDate, localDays, periodOf } from '../usage/time.js';
import { type DefaultQuotas, lockBilling, summaryOf } from '../usage/usage.js';
import { parseInput } from '../validation.js';

export const slugInput = z.string().trim().toLowerCase().min(1, { error: 'Name the organization by its slug (--org).' }).max(64);

export async function organizationBySlug(ctx: CoreContext, slug: unknown) {
  const wanted = parseInput(slugInput, slug);
  const row = await ctx.db.selectFrom('organizations').selectAll().where('slug', '=', wanted).executeTakeFirst();
  if (!row)
    throw new DomainError('organization_not_found', `No organization has the slug "${wanted}". List them with the slug shown at creation.`);
  return row;
}

export function operatorUseCases(ctx: CoreContext) {
  return {
    /** An organization by slug. */
    async organization(slug: unknown): Promise<Organization> {
      return toOrganization(ctx, await organizationBySlug(ctx, slug));
    },

    /** How many organizations exist (the first-run bootstrap checks for none). */
    async countOrganizations(): Promise<number> {
      const row = await ctx.db
        .selectFrom('organizations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Mints a key for an organization by slug (`zelto keys create`). */
    async createApiKey(slug: unknown, input: unknown) {
      const org = await organizationBySlug(ctx, slug);
      const data = parseInput(createApiKeyInput, input);
      return ctx.db
        .transaction()
        .execute((trx) => mintApiKey(ctx, trx, { orgId: org.id, name: data.name, role: data.role, actor: OPERATOR }));
    },
  };
}

export interface OperatorUsageDeps {
  defaultQuotas: DefaultQuotas;
  setPaymentMethod(orgId: string, on: boolean, actor: typeof OPERATOR): Promise<void>;
}

/** The operator's usage and billing commands: plans (quotas), grants, reports, payment method. */
export function operatorUsageUseCases(ctx: CoreContext, deps: OperatorUsageDeps) {
  return {
    /** Sets an organization's monthly quota for a meter; applies to this month at once. */
    async setQuota(slug: unknown, input: unknown) {
      const org = await organizationBySlug(ctx, slug);
      const data = parseInput(setQuotaInput, input);
      const monthly = toMilli(data.meter, data.monthly, { allowZero: true });
      if (!monthly.ok)
        throw new DomainError('validation_failed', `monthly: ${monthly.message}`, {
          issues: [{ path: 'monthly', message: monthly.message }],
        });
      const now = ctx.clock.now();
      const period = periodOf(now, org.timezone);
      return ctx.db.transaction().execute(async (trx) => {
        await lockBilling(ctx, trx, org.id);
        const before = await trx
          .selectFrom('quotas')
          .select('monthly')
          .where('org_id', '=', org.id)
          .where('meter', '=', data.meter)
          .executeTakeFirst();
        await trx
          .insertInto('quotas')
          .values({ org_id: org.id, meter: data.meter, monthly: monthly.milli, updated_at: now })
          .onConflict((oc) => oc.columns(['org_id', 'meter']).doUpdateSet({ monthly: monthly.milli, updated_at: now }))
          .execute();
        // This month and any month already opened ahead take the new quota; closed months keep theirs.
        // A quota lowered below what is already drawn keeps the draw (nothing is taken back).
        await trx
          .updateTable('usage_periods')
          .set((eb) => ({ quota: eb.fn<number>(greatestFunction(ctx.dialect), [eb.val(monthly.milli), eb.ref('from_quota')]) }))
          .where('org_id', '=', org.id)
          .where('meter', '=', data.meter)
          .where('period', '>=', period)
          .execute();
        await recordAudit(ctx, trx, {
          orgId: org.id,
          actor: OPERATOR,
          action: 'quota.updated',
          target: { type: 'meter', id: data.meter, label: data.meter },
          data: { before: before ? fromMilli(before.monthly) : fromMilli(deps.defaultQuotas[data.meter]), after: fromMilli(monthly.milli) },
        });
        return { organization: org.slug, meter: data.meter, monthly: fromMilli(monthly.milli) };
      });
    },

    /** Adds a prepaid grant; `expires` is the last local day it can be used. */
    async addGrant(slug: unknown, input: unknown) {
      const org = await organizationBySlug(ctx, slug);
      const data = parseInput(addGrantInput, input);
      const amount = toMilli(data.meter, data.amount);
      if (!amount.ok)
        throw new DomainError('validation_failed', `amount: ${amount.message}`, { issues: [{ path: 'amount', message: amount.message }] });
      const expiresAt = data.expires ? (localDays(data.expires, data.expires, org.timezone)[0]?.end ?? null) : null;
      if (data.expires && !isLocalDate(data.expires)) {
        throw new DomainError('validation_failed', 'expires: not a real date.', {
          issues: [{ path: 'expires', message: 'Not a real date.' }],
        });
      }
      if (expiresAt !== null && expiresAt <= ctx.clock.now()) {
        throw new DomainError('validation_failed', 'expires: the grant would already have expired.', {
          issues: [{ path: 'expires', message: 'Choose a date in the future.' }],
        });
      }
      const id = ctx.ids.id('grt');
      await ctx.db.transaction().execute(async (trx) => {
        await lockBilling(ctx, trx, org.id);
        await trx
          .insertInto('grants')
          .values({
            id,
            org_id: org.id,
            meter: data.meter,
            amount: amount.milli,
            remaining: amount.milli,
            expires_at: expiresAt,
            created_at: ctx.clock.now(),
          })
          .execute();
        await recordAudit(ctx, trx, {
          orgId: org.id,
          actor: OPERATOR,
          action: 'grant.added',
          target: { type: 'grant', id, label: data.meter },
          data: {
            meter: data.meter,
            amount: fromMilli(amount.milli),
            expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
          },
        });
      });
      return {
        id,
        organization: org.slug,
        meter: data.meter,
        amount: fromMilli(amount.milli),
        expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      };
    },

    /** The organization's usage this month (as admins see it). */
    async usage(slug: unknown) {
      const org = await organizationBySlug(ctx, slug);
      return summaryOf(ctx, org.id, undefined, deps.defaultQuotas);
    },

    /** Marks a payment method on or off file. */
    async setPaymentMethod(slug: unknown, on: boolean) {
      const org = await organizationBySlug(ctx, slug);
      await deps.setPaymentMethod(org.id, on, OPERATOR);
      return { organization: org.slug, paymentMethod: on };
    },
  };
}
