import { MINUTE } from '../clock.js';
import type { CoreContext } from '../context.js';
import { randomToken, sha256 } from '../crypto.js';
import type { BillingProvider } from './provider.js';

export const PORTAL_SESSION_TTL = 30 * MINUTE;

/**
 * The built-in provider: a single-use portal session (its token stored hashed) that opens
 * Zelto's own small payment page at `/billing/portal/<token>`. No real card is charged.
 */
export function testModeBillingProvider(ctx: CoreContext): BillingProvider {
  return {
    name: 'test-mode',
    async createPortalSession({ orgId }) {
      const token = randomToken(ctx.ids, 32);
      const now = ctx.clock.now();
      const expiresAt = now + PORTAL_SESSION_TTL;
      await ctx.db
        .insertInto('billing_portal_sessions')
        .values({ id: ctx.ids.id('bps'), org_id: orgId, token_hash: sha256(token), created_at: now, expires_at: expiresAt, used_at: null })
        .execute();
      return { url: `${ctx.config.publicUrl}/billing/portal/${token}`, expiresAt };
    },
  };
}
