import { z } from 'zod';
import { recordAudit } from '../audit/audit.js';
import { toIso } from '../clock.js';
import type { CoreContext, Db } from '../context.js';
import { sha256 } from '../crypto.js';
import { DomainError } from '../errors.js';
import { toPublicOrganization } from '../organizations/present.js';
import { authorize, can } from '../permissions.js';
import type { Actor, OrgPrincipal, Principal } from '../principal.js';
import { isoDateTime, nameSchema } from '../schemas.js';
import { lockBilling } from '../usage/usage.js';
import { parseInput } from '../validation.js';
import type { BillingProvider } from './provider.js';

export const portalSessionSchema = z
  .object({ url: z.string().describe('Open in a browser to add a payment method; works once, for 30 minutes.'), expiresAt: isoDateTime })
  .meta({ id: 'BillingPortalSession' });

export const portalTokenInput = z.object({ token: z.string().trim().min(1).max(200) }).strict();

export const addPaymentMethodInput = z
  .object({
    token: z.string().trim().min(1).max(200),
    cardholder: nameSchema,
    cardNumber: z
      .string({ error: 'A card number is required.' })
      .transform((s) => s.replace(/[\s-]/g, ''))
      .pipe(
        z
          .string()
          .regex(/^\d{13,19}$/, { error: 'A card number has 13 to 19 digits.' })
          .refine(luhn, { error: 'This card number is not valid; check it for typos.' }),
      ),
  })
  .strict();

/** The Luhn checksum every card number carries. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Test-mode cards that are declined, as a real processor would. */
export const DECLINED_TEST_CARDS = new Set(['4000000000000002', '4000000000009995']);

function brandOf(digits: string): string {
  if (digits.startsWith('4')) return 'Visa';
  if (/^5[1-5]|^2[2-7]/.test(digits)) return 'Mastercard';
  if (/^3[47]/.test(digits)) return 'American Express';
  return 'Card';
}

async function setPaymentMethod(ctx: CoreContext, trx: Db, orgId: string, label: string | null, actor: Actor) {
  const before = await lockBilling(ctx, trx, orgId);
  await trx
    .updateTable('billing_accounts')
    .set({ payment_method: label ? 1 : 0, payment_method_label: label, updated_at: ctx.clock.now() })
    .where('org_id', '=', orgId)
    .execute();
  await recordAudit(ctx, trx, {
    orgId,
    actor,
    action: label ? 'billing.payment_method_added' : 'billing.payment_method_removed',
    target: { type: 'billing', id: orgId },
    data: { before: before.payment_method_label, after: label },
  });
}

export function billingUseCases(ctx: CoreContext, provider: BillingProvider) {
  /** A portal session's row, if it can still be used; otherwise why not. */
  async function usableSession(db: Db, token: string) {
    const row = await db.selectFrom('billing_portal_sessions').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
    if (!row)
      throw new DomainError('portal_session_not_found', 'This billing link is not valid. Open the billing portal again from Zelto.');
    if (row.used_at !== null)
      throw new DomainError('portal_session_expired', 'This billing link was already used. Open the billing portal again from Zelto.');
    if (row.expires_at <= ctx.clock.now()) {
      throw new DomainError(
        'portal_session_expired',
        'This billing link has expired (links last 30 minutes). Open the billing portal again from Zelto.',
      );
    }
    return row;
  }

  /** A short-lived, single-use link to the billing portal. Owners and admins. */
  async function openPortal(principal: Principal) {
    const org = authorize(principal, 'billing.portal');
    try {
      const session = await provider.createPortalSession({ orgId: org.orgId });
      return { url: session.url, expiresAt: toIso(session.expiresAt) };
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError(
        'billing_provider_failed',
        `The billing provider could not open a portal session (${(error as Error).message}). Try again.`,
      );
    }
  }

  return {
    provider,
    openPortal,

    /**
     * Where a caller refused for quota goes to add a payment method: a fresh portal session
     * for owners and admins; for others, the page that explains who can add one.
     */
    async portalLinkFor(principal: OrgPrincipal): Promise<string> {
      if (can(principal.role, 'billing.portal')) return (await openPortal(principal)).url;
      const { slug } = await ctx.db.selectFrom('organizations').select('slug').where('id', '=', principal.orgId).executeTakeFirstOrThrow();
      return `${ctx.config.publicUrl}/billing/${slug}`;
    },

    /** What the portal page shows: the organization and its current payment method. */
    async portalSession(input: unknown) {
      const { token } = parseInput(portalTokenInput, input);
      const row = await usableSession(ctx.db, token);
      const org = await ctx.db.selectFrom('organizations').selectAll().where('id', '=', row.org_id).executeTakeFirstOrThrow();
      const billing = await ctx.db
        .selectFrom('billing_accounts')
        .select(['payment_method_label'])
        .where('org_id', '=', row.org_id)
        .executeTakeFirst();
      return {
        organization: toPublicOrganization(ctx, org),
        paymentMethod: billing?.payment_method_label ?? null,
        expiresAt: toIso(row.expires_at),
      };
    },

    /**
     * Test mode: adds a card through a portal session (once). Any Luhn-valid number is
     * accepted except the declined test cards; no card is charged.
     */
    async addPaymentMethod(input: unknown) {
      const data = parseInput(addPaymentMethodInput, input);
      if (DECLINED_TEST_CARDS.has(data.cardNumber)) {
        throw new DomainError('card_declined', 'The card was declined. Try another card.');
      }
      const label = `${brandOf(data.cardNumber)} ending ${data.cardNumber.slice(-4)}`;
      return ctx.db.transaction().execute(async (trx) => {
        const row = await usableSession(trx, data.token);
        const used = await trx
          .updateTable('billing_portal_sessions')
          .set({ used_at: ctx.clock.now() })
          .where('id', '=', row.id)
          .where('used_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!used)
          throw new DomainError('portal_session_expired', 'This billing link was already used. Open the billing portal again from Zelto.');
        await setPaymentMethod(ctx, trx, row.org_id, label, { type: 'system', id: row.id, label: `billing portal (${data.cardholder})` });
        const org = await trx.selectFrom('organizations').selectAll().where('id', '=', row.org_id).executeTakeFirstOrThrow();
        return { organization: toPublicOrganization(ctx, org), paymentMethod: label };
      });
    },

    /** Operator: marks a payment method on or off file for an organization. */
    async setPaymentMethodAsOperator(orgId: string, on: boolean, actor: Actor) {
      await ctx.db.transaction().execute((trx) => setPaymentMethod(ctx, trx, orgId, on ? 'Added by the operator' : null, actor));
    },
  };
}
