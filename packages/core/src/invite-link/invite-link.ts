import type { ClientInfo } from '../accounts/schema.js';
import { recordAudit } from '../audit/audit.js';
import { DAY, toIso } from '../clock.js';
import type { CoreContext, Db } from '../context.js';
import { randomBase62 } from '../crypto.js';
import { withConflictRetry } from '../db/retry.js';
import type { InviteLinksTable } from '../db/schema.js';
import { DomainError } from '../errors.js';
import { addMember } from '../members/members.js';
import { toPublicOrganization } from '../organizations/present.js';
import { authorize } from '../permissions.js';
import { actorOf, type Principal, personOf } from '../principal.js';
import { consumeRateLimit, RATE_RULES } from '../rate-limit/rate-limit.js';
import { parseInput } from '../validation.js';
import { type InviteLink, inviteTokenInput } from './schema.js';

export const INVITE_LINK_TTL = 30 * DAY;

/** Mints the organization's live link (the caller has ended the previous one). */
export async function mintInviteLink(ctx: CoreContext, db: Db, orgId: string): Promise<InviteLinksTable> {
  const now = ctx.clock.now();
  const row: InviteLinksTable = {
    id: ctx.ids.id('lnk'),
    org_id: orgId,
    token: randomBase62(ctx.ids, 32),
    status: 'active',
    created_at: now,
    expires_at: now + INVITE_LINK_TTL,
    ended_at: null,
  };
  await db.insertInto('invite_links').values(row).execute();
  return row;
}

export function joinUrl(ctx: CoreContext, token: string): string {
  return `${ctx.config.publicUrl}/join/${token}`;
}

function present(ctx: CoreContext, row: InviteLinksTable | undefined): InviteLink {
  if (row?.status !== 'active') return { url: null, expiresAt: null, status: 'revoked' };
  return {
    url: joinUrl(ctx, row.token),
    expiresAt: toIso(row.expires_at),
    status: row.expires_at <= ctx.clock.now() ? 'expired' : 'active',
  };
}

export function inviteLinkUseCases(ctx: CoreContext) {
  /** The link a token names, if it still lets people in; otherwise a DomainError saying why not. */
  async function usableLink(db: Db, token: string) {
    const row = await db.selectFrom('invite_links').selectAll().where('token', '=', token).executeTakeFirst();
    if (!row) {
      throw new DomainError('invite_link_not_found', 'This invite link is not valid. Ask an admin of the organization for a new link.');
    }
    if (row.status !== 'active') {
      throw new DomainError(
        'invite_link_revoked',
        row.status === 'superseded'
          ? 'This invite link was replaced by a newer one. Ask an admin for the current link.'
          : 'This invite link was revoked. Ask an admin for a new link.',
      );
    }
    if (row.expires_at <= ctx.clock.now()) {
      throw new DomainError('invite_link_expired', 'This invite link has expired (links last 30 days). Ask an admin for a new link.');
    }
    return row;
  }

  return {
    /** The organization's invite link and its state. Owners and admins. */
    async get(principal: Principal): Promise<InviteLink> {
      const org = authorize(principal, 'invite_link.manage');
      const row = await ctx.db
        .selectFrom('invite_links')
        .selectAll()
        .where('org_id', '=', org.orgId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return present(ctx, row);
    },

    /** Ends the current link (the old URL stops working at once) and mints a new one; also re-creates a revoked link. */
    async regenerate(principal: Principal): Promise<InviteLink> {
      const org = authorize(principal, 'invite_link.manage');
      const row = await withConflictRetry(() =>
        ctx.db.transaction().execute(async (trx) => {
          const ended = await trx
            .updateTable('invite_links')
            .set({ status: 'superseded', ended_at: ctx.clock.now() })
            .where('org_id', '=', org.orgId)
            .where('status', '=', 'active')
            .returning('id')
            .executeTakeFirst();
          const minted = await mintInviteLink(ctx, trx, org.orgId);
          await recordAudit(ctx, trx, {
            orgId: org.orgId,
            actor: actorOf(org),
            action: 'invite_link.regenerated',
            target: { type: 'invite_link', id: minted.id },
            data: { replaced: ended?.id ?? null },
          });
          return minted;
        }),
      );
      return present(ctx, row);
    },

    /** Revokes the link: no link works until one is generated again. */
    async revoke(principal: Principal): Promise<InviteLink> {
      const org = authorize(principal, 'invite_link.manage');
      await ctx.db.transaction().execute(async (trx) => {
        const ended = await trx
          .updateTable('invite_links')
          .set({ status: 'revoked', ended_at: ctx.clock.now() })
          .where('org_id', '=', org.orgId)
          .where('status', '=', 'active')
          .returning('id')
          .executeTakeFirst();
        if (ended) {
          await recordAudit(ctx, trx, {
            orgId: org.orgId,
            actor: actorOf(org),
            action: 'invite_link.revoked',
            target: { type: 'invite_link', id: ended.id },
          });
        }
      });
      return { url: null, expiresAt: null, status: 'revoked' };
    },

    /** What a person sees before joining: the organization's name and logo. Public. */
    async preview(input: unknown) {
      const { token } = parseInput(inviteTokenInput, input);
      const link = await usableLink(ctx.db, token);
      const org = await ctx.db.selectFrom('organizations').selectAll().where('id', '=', link.org_id).executeTakeFirstOrThrow();
      return { organization: toPublicOrganization(ctx, org), expiresAt: toIso(link.expires_at), role: 'member' as const };
    },

    /** Joins through the link as a member. Joining twice is a no-op, not an error. */
    async join(principal: Principal, input: unknown, client: ClientInfo = {}) {
      const person = personOf(principal);
      const { token } = parseInput(inviteTokenInput, input);
      await consumeRateLimit(ctx, [
        { rule: RATE_RULES.joinPerClient, subject: client.ip },
        { rule: RATE_RULES.joinPerUser, subject: person.userId },
      ]);
      return ctx.db.transaction().execute(async (trx) => {
        const link = await usableLink(trx, token);
        const { member, created } = await addMember(ctx, trx, {
          orgId: link.org_id,
          userId: person.userId,
          role: 'member',
          via: 'link',
          actor: { type: 'user', id: person.userId, label: person.email },
        });
        const org = await trx.selectFrom('organizations').selectAll().where('id', '=', link.org_id).executeTakeFirstOrThrow();
        return { organization: toPublicOrganization(ctx, org), member, alreadyMember: !created };
      });
    },
  };
}
