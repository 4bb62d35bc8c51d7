import { sql } from 'kysely';
import { sendOrExplain } from '../accounts/accounts.js';
import { recordAudit } from '../audit/audit.js';
import { DAY, toIso } from '../clock.js';
import type { CoreContext, Db } from '../context.js';
import { randomToken, sha256 } from '../crypto.js';
import type { InvitationsTable, Role } from '../db/schema.js';
import { DomainError } from '../errors.js';
import { invitationEmail } from '../mail/templates.js';
import { addMember, toMember } from '../members/members.js';
import { toPublicOrganization } from '../organizations/present.js';
import { beforeCursor, decodeCursor, toPage } from '../pagination.js';
import { authorize, ROLE_RANK } from '../permissions.js';
import { actorOf, type OrgPrincipal, type Principal, personOf } from '../principal.js';
import { parseInput } from '../validation.js';
import {
  createInvitationsInput,
  type Invitation,
  type InviteResult,
  invitationIdInput,
  invitationTokenInput,
  listInvitationsInput,
} from './schema.js';

export const INVITATION_TTL = 7 * DAY;

export function invitationUrl(ctx: CoreContext, token: string): string {
  return `${ctx.config.publicUrl}/invitations/${token}`;
}

function statusOf(row: InvitationsTable, now: number): Invitation['status'] {
  return row.status === 'pending' && row.expires_at <= now ? 'expired' : row.status;
}

function toInvitation(row: InvitationsTable, now: number): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: statusOf(row, now),
    invitedBy: { type: row.invited_by_type, id: row.invited_by_id, label: row.invited_by_label },
    createdAt: toIso(row.created_at),
    expiresAt: toIso(row.expires_at),
  };
}

/** Shows only the first letter of the local part: enough to recognise, not to harvest. */
function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

export function invitationUseCases(ctx: CoreContext) {
  async function sendInvitation(org: { name: string }, row: InvitationsTable, token: string): Promise<boolean> {
    try {
      await sendOrExplain(
        ctx,
        invitationEmail({
          to: row.email,
          organizationName: org.name,
          // A key is not a person: the organization itself is who invites.
          invitedBy: row.invited_by_type === 'user' ? row.invited_by_label : org.name,
          role: row.role,
          link: invitationUrl(ctx, token),
          expiresAt: toIso(row.expires_at),
        }),
      );
      return true;
    } catch {
      return false;
    }
  }

  async function requireInvitation(db: Db, org: OrgPrincipal, id: string): Promise<InvitationsTable> {
    const row = await db.selectFrom('invitations').selectAll().where('id', '=', id).where('org_id', '=', org.orgId).executeTakeFirst();
    if (!row) throw new DomainError('invitation_not_found', `No invitation ${id} in this organization. List invitations to find its id.`);
    return row;
  }

  return {
    /**
     * Invites one or many addresses with a role. Per address: a new invitation, the pending one
     * that already exists, or "already a member". Never a duplicate row (a unique index on
     * open invitations per address). A single address that is already a member is an error.
     */
    async invite(principal: Principal, input: unknown): Promise<InviteResult> {
      const org = authorize(principal, 'invitations.manage');
      const data = parseInput(createInvitationsInput, input);
      if (data.role === 'owner') {
        throw new DomainError(
          'owner_only_by_transfer',
          'Nobody can be invited as owner; invite as admin, then the owner can transfer ownership.',
        );
      }
      const single = data.email !== undefined;
      const emails = data.email !== undefined ? [data.email] : [...new Set(data.emails ?? [])];
      const actor = actorOf(org);
      const now = ctx.clock.now();
      const organization = await ctx.db.selectFrom('organizations').select('name').where('id', '=', org.orgId).executeTakeFirstOrThrow();

      const planned = await ctx.db.transaction().execute(async (trx) => {
        // Time-expired invitations stop blocking new ones.
        await trx
          .updateTable('invitations')
          .set({ status: 'expired' })
          .where('org_id', '=', org.orgId)
          .where('status', '=', 'pending')
          .where('expires_at', '<=', now)
          .where('email', 'in', emails)
          .execute();
        const members = new Set(
          (
            await trx
              .selectFrom('memberships')
              .innerJoin('users', 'users.id', 'memberships.user_id')
              .select('users.email')
              .where('memberships.org_id', '=', org.orgId)
              .where('users.email', 'in', emails)
              .execute()
          ).map((r) => r.email),
        );
        const out: Array<{
          email: string;
          row: InvitationsTable | null;
          token: string | null;
          outcome: InviteResult['results'][number]['outcome'];
        }> = [];
        for (const email of emails) {
          if (members.has(email)) {
            out.push({ email, row: null, token: null, outcome: 'already_member' });
            continue;
          }
          const token = randomToken(ctx.ids, 32);
          const row: InvitationsTable = {
            id: ctx.ids.id('inv'),
            org_id: org.orgId,
            email,
            role: data.role as Role,
            status: 'pending',
            token_hash: sha256(token),
            invited_by_type: actor.type,
            invited_by_id: actor.id,
            invited_by_label: actor.label,
            created_at: now,
            sent_at: now,
            expires_at: now + INVITATION_TTL,
            accepted_at: null,
            accepted_by_user_id: null,
            revoked_at: null,
          };
          const inserted = await trx
            .insertInto('invitations')
            .values(row)
            .onConflict((oc) => oc.columns(['org_id', 'email']).where('status', '=', sql.lit('pending')).doNothing())
            .returning('id')
            .executeTakeFirst();
          if (!inserted) {
            const existing = await trx
              .selectFrom('invitations')
              .selectAll()
              .where('org_id', '=', org.orgId)
              .where('email', '=', email)
              .where('status', '=', 'pending')
              .executeTakeFirstOrThrow();
            out.push({ email, row: existing, token: null, outcome: 'already_invited' });
            continue;
          }
          await recordAudit(ctx, trx, {
            orgId: org.orgId,
            actor,
            action: 'invitation.sent',
            target: { type: 'invitation', id: row.id, label: email },
            data: { role: row.role },
          });
          out.push({ email, row, token, outcome: 'invited' });
        }
        return out;
      });

      if (single && planned[0]?.outcome === 'already_member') {
        throw new DomainError('already_member', `${emails[0]} is already a member of this organization.`);
      }
      const results: InviteResult['results'] = [];
      for (const p of planned) {
        if (p.outcome === 'already_member') {
          results.push({
            email: p.email,
            outcome: p.outcome,
            invitation: null,
            emailSent: false,
            message: `${p.email} is already a member.`,
          });
        } else if (p.outcome === 'already_invited' && p.row) {
          const sameRole = p.row.role === data.role;
          results.push({
            email: p.email,
            outcome: p.outcome,
            invitation: toInvitation(p.row, now),
            emailSent: false,
            message: sameRole
              ? `${p.email} already has a pending invitation; resend it if the email was lost.`
              : `${p.email} already has a pending invitation as ${p.row.role}; revoke it and invite again to change the role.`,
          });
        } else if (p.row && p.token) {
          const emailSent = await sendInvitation(organization, p.row, p.token);
          results.push({
            email: p.email,
            outcome: 'invited',
            invitation: toInvitation(p.row, now),
            emailSent,
            message: emailSent
              ? `Invited ${p.email} as ${p.row.role}.`
              : `Invited ${p.email}, but the email could not be sent; resend the invitation.`,
          });
        }
      }
      return { results };
    },

    /** Invitations, newest first, with their status. */
    async list(principal: Principal, input: unknown = {}) {
      const org = authorize(principal, 'invitations.manage');
      const { limit, cursor, status } = parseInput(listInvitationsInput, input);
      const after = decodeCursor(cursor);
      const now = ctx.clock.now();
      let query = ctx.db.selectFrom('invitations').selectAll().where('org_id', '=', org.orgId);
      if (status === 'pending') query = query.where('status', '=', 'pending').where('expires_at', '>', now);
      else if (status === 'expired') {
        query = query.where((eb) =>
          eb.or([eb('status', '=', 'expired'), eb.and([eb('status', '=', 'pending'), eb('expires_at', '<=', now)])]),
        );
      } else if (status) query = query.where('status', '=', status);
      if (after) query = query.where(beforeCursor('created_at', 'id', after));
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(
        rows,
        limit,
        (r) => ({ at: r.created_at, id: r.id }),
        (r) => toInvitation(r, now),
      );
    },

    /** Sends the invitation again with a new link and a fresh 7 days; the old link stops working. */
    async resend(principal: Principal, input: unknown): Promise<Invitation & { emailSent: boolean }> {
      const org = authorize(principal, 'invitations.manage');
      const { id } = parseInput(invitationIdInput, input);
      const now = ctx.clock.now();
      const token = randomToken(ctx.ids, 32);
      const row = await ctx.db.transaction().execute(async (trx) => {
        const current = await requireInvitation(trx, org, id);
        if (current.status === 'accepted' || current.status === 'revoked') {
          throw new DomainError(
            'invitation_not_pending',
            `This invitation was ${current.status}; it cannot be resent. Invite ${current.email} again instead.`,
          );
        }
        const updated = await trx
          .updateTable('invitations')
          .set({ token_hash: sha256(token), status: 'pending', sent_at: now, expires_at: now + INVITATION_TTL })
          .where('id', '=', id)
          .where('status', 'in', ['pending', 'expired'])
          .returningAll()
          .executeTakeFirst();
        if (!updated)
          throw new DomainError('invitation_not_pending', 'This invitation changed while resending; list invitations and try again.');
        await recordAudit(ctx, trx, {
          orgId: org.orgId,
          actor: actorOf(org),
          action: 'invitation.resent',
          target: { type: 'invitation', id, label: updated.email },
        });
        return updated;
      });
      const organization = await ctx.db.selectFrom('organizations').select('name').where('id', '=', org.orgId).executeTakeFirstOrThrow();
      const emailSent = await sendInvitation(organization, row, token);
      return { ...toInvitation(row, now), emailSent };
    },

    /** Revokes a pending invitation; its link stops working at once. */
    async revoke(principal: Principal, input: unknown): Promise<Invitation> {
      const org = authorize(principal, 'invitations.manage');
      const { id } = parseInput(invitationIdInput, input);
      const now = ctx.clock.now();
      return ctx.db.transaction().execute(async (trx) => {
        const current = await requireInvitation(trx, org, id);
        const updated = await trx
          .updateTable('invitations')
          .set({ status: 'revoked', revoked_at: now })
          .where('id', '=', id)
          .where('status', 'in', ['pending', 'expired'])
          .returningAll()
          .executeTakeFirst();
        if (!updated) {
          throw new DomainError('invitation_not_pending', `This invitation was already ${current.status}; there is nothing to revoke.`);
        }
        await recordAudit(ctx, trx, {
          orgId: org.orgId,
          actor: actorOf(org),
          action: 'invitation.revoked',
          target: { type: 'invitation', id, label: updated.email },
        });
        return toInvitation(updated, now);
      });
    },

    /** What the invitation page shows before accepting. Public: the token is the credential. */
    async preview(input: unknown) {
      const { token } = parseInput(invitationTokenInput, input);
      const row = await ctx.db.selectFrom('invitations').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
      if (!row) {
        throw new DomainError('invitation_not_found', 'This invitation link is not valid. If it was resent, use the newest email.');
      }
      const org = await ctx.db.selectFrom('organizations').selectAll().where('id', '=', row.org_id).executeTakeFirstOrThrow();
      return {
        organization: toPublicOrganization(ctx, org),
        email: row.email,
        role: row.role,
        status: statusOf(row, ctx.clock.now()),
        // As in the email: a key is not a person, so the organization is who invites.
        invitedBy: row.invited_by_type === 'user' ? row.invited_by_label : org.name,
        expiresAt: toIso(row.expires_at),
      };
    },

    /**
     * Accepts an invitation. The signed-in person's verified email must be the invited address.
     * A guarded update makes two concurrent accepts produce one membership.
     */
    async accept(principal: Principal, input: unknown) {
      const person = personOf(principal);
      const { token } = parseInput(invitationTokenInput, input);
      const now = ctx.clock.now();
      return ctx.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('invitations').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
        if (!row) {
          throw new DomainError('invitation_not_found', 'This invitation link is not valid. If it was resent, use the newest email.');
        }
        const user = await trx.selectFrom('users').selectAll().where('id', '=', person.userId).executeTakeFirstOrThrow();
        const org = await trx.selectFrom('organizations').selectAll().where('id', '=', row.org_id).executeTakeFirstOrThrow();
        const done = async () => {
          const member = await trx
            .selectFrom('memberships')
            .innerJoin('users', 'users.id', 'memberships.user_id')
            .selectAll('memberships')
            .select(['users.email', 'users.name'])
            .where('memberships.org_id', '=', row.org_id)
            .where('memberships.user_id', '=', user.id)
            .executeTakeFirst();
          if (!member) return undefined;
          return { organization: toPublicOrganization(ctx, org), member: toMember(member), alreadyMember: true };
        };
        if (row.status === 'accepted') {
          if (row.accepted_by_user_id === user.id) {
            const again = await done();
            if (again) return again;
          }
          throw new DomainError('invitation_already_accepted', 'This invitation was already accepted.');
        }
        if (row.status === 'revoked') {
          throw new DomainError('invitation_revoked', 'This invitation was revoked. Ask an admin to invite you again.');
        }
        if (statusOf(row, now) === 'expired') {
          throw new DomainError('invitation_expired', 'This invitation has expired (invitations last 7 days). Ask an admin to resend it.');
        }
        if (user.email_verified_at === null) {
          throw new DomainError(
            'email_not_verified',
            `Verify ${user.email} first (check your inbox for the code), then accept the invitation.`,
          );
        }
        if (user.email !== row.email) {
          throw new DomainError(
            'invitation_email_mismatch',
            `This invitation is for ${maskEmail(row.email)}, but you are signed in as ${user.email}. Sign in with the invited address.`,
          );
        }
        const accepted = await trx
          .updateTable('invitations')
          .set({ status: 'accepted', accepted_at: now, accepted_by_user_id: user.id })
          .where('id', '=', row.id)
          .where('status', '=', 'pending')
          .where('expires_at', '>', now)
          .returning('id')
          .executeTakeFirst();
        if (!accepted) {
          const again = await done();
          if (again) return again;
          throw new DomainError('invitation_already_accepted', 'This invitation was already accepted.');
        }
        const actor = { type: 'user' as const, id: user.id, label: user.email };
        await recordAudit(ctx, trx, {
          orgId: row.org_id,
          actor,
          action: 'invitation.accepted',
          target: { type: 'invitation', id: row.id, label: row.email },
          data: { role: row.role },
        });
        const { member, created } = await addMember(ctx, trx, {
          orgId: row.org_id,
          userId: user.id,
          role: row.role,
          via: 'invitation',
          actor,
        });
        let result = member;
        if (!created && ROLE_RANK[row.role] > ROLE_RANK[member.role]) {
          // Invited as admin while already in as member: the invitation's role wins.
          await trx
            .updateTable('memberships')
            .set({ role: row.role })
            .where('org_id', '=', row.org_id)
            .where('user_id', '=', user.id)
            .where('role', '=', 'member')
            .execute();
          await recordAudit(ctx, trx, {
            orgId: row.org_id,
            actor,
            action: 'member.role_changed',
            target: { type: 'member', id: user.id, label: user.email },
            data: { before: member.role, after: row.role, via: 'invitation' },
          });
          result = { ...member, role: row.role };
        }
        return { organization: toPublicOrganization(ctx, org), member: result, alreadyMember: !created };
      });
    },
  };
}
