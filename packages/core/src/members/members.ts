import { toApiKey } from '../api-keys/api-keys.js';
import { recordAudit } from '../audit/audit.js';
import { toIso } from '../clock.js';
import type { CoreContext, Db } from '../context.js';
import type { JoinedVia, Role } from '../db/schema.js';
import { DomainError } from '../errors.js';
import { beforeCursor, decodeCursor, toPage } from '../pagination.js';
import { authorize } from '../permissions.js';
import { type Actor, actorOf, type MemberPrincipal, type OrgPrincipal, type Principal } from '../principal.js';
import { parseInput } from '../validation.js';
import { changeRoleInput, listMembersInput, type Member, memberRefInput } from './schema.js';

interface MemberRow {
  id: string;
  org_id: string;
  user_id: string;
  role: Role;
  joined_via: JoinedVia;
  joined_at: number;
  email: string;
  name: string;
}

export function toMember(row: MemberRow): Member {
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    joinedAt: toIso(row.joined_at),
    joinedVia: row.joined_via,
  };
}

function memberQuery(db: Db, orgId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .selectAll('memberships')
    .select(['users.email', 'users.name'])
    .where('memberships.org_id', '=', orgId);
}

/** Whether a member reference names the signed-in person themself (`me`, their id or email). */
function refersTo(principal: MemberPrincipal, ref: string): boolean {
  const r = ref.trim().toLowerCase();
  return r === 'me' || r === principal.userId.toLowerCase() || r === principal.email;
}

/** A member by user id (`usr_...`) or email, in one organization. */
export async function findMember(db: Db, orgId: string, ref: string): Promise<MemberRow | undefined> {
  const query = memberQuery(db, orgId);
  return ref.includes('@')
    ? query.where('users.email', '=', ref.trim().toLowerCase()).executeTakeFirst()
    : query.where('memberships.user_id', '=', ref.trim()).executeTakeFirst();
}

export async function requireMember(db: Db, orgId: string, ref: string): Promise<MemberRow> {
  const row = await findMember(db, orgId, ref);
  if (!row) {
    throw new DomainError('member_not_found', `${ref} is not a member of this organization. List members to see who is.`);
  }
  return row;
}

/**
 * Adds a person to an organization. One membership per person and organization is kept by a
 * unique index: adding someone who is already in is a no-op that returns their membership.
 */
export async function addMember(
  ctx: CoreContext,
  db: Db,
  input: { orgId: string; userId: string; role: Role; via: JoinedVia; actor: Actor },
): Promise<{ member: Member; created: boolean }> {
  const inserted = await db
    .insertInto('memberships')
    .values({
      id: ctx.ids.id('mem'),
      org_id: input.orgId,
      user_id: input.userId,
      role: input.role,
      joined_via: input.via,
      joined_at: ctx.clock.now(),
    })
    .onConflict((oc) => oc.columns(['org_id', 'user_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const row = (await memberQuery(db, input.orgId).where('memberships.user_id', '=', input.userId).executeTakeFirstOrThrow()) as MemberRow;
  if (inserted) {
    await db.deleteFrom('membership_removals').where('org_id', '=', input.orgId).where('user_id', '=', input.userId).execute();
    await recordAudit(ctx, db, {
      orgId: input.orgId,
      actor: input.actor,
      action: 'member.joined',
      target: { type: 'member', id: row.user_id, label: row.email },
      data: { role: row.role, joinedVia: row.joined_via },
    });
  }
  return { member: toMember(row), created: inserted !== undefined };
}

export function memberUseCases(ctx: CoreContext) {
  /**
   * Deletes a membership unless it is the owner's (guarded in SQL, so a concurrent transfer
   * cannot slip between check and delete), remembers the removal for domain join, and lists
   * the keys the person minted.
   */
  /** `me` names the signed-in person; keys have no self. */
  function resolveRef(org: OrgPrincipal, ref: string): string {
    if (ref.trim().toLowerCase() !== 'me') return ref;
    if (org.kind === 'member') return org.userId;
    throw new DomainError('not_a_person', '"me" means the signed-in person; an API key is not a member. Name the member by id or email.');
  }

  async function removeMembership(org: OrgPrincipal, target: MemberRow, action: 'member.removed' | 'member.left') {
    return ctx.db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom('memberships')
        .where('id', '=', target.id)
        .where('role', '<>', 'owner')
        .returning('id')
        .executeTakeFirst();
      if (!deleted) {
        const now = await findMember(trx, org.orgId, target.user_id);
        if (!now) throw new DomainError('member_not_found', `${target.email} is no longer a member of this organization.`);
        throw action === 'member.left'
          ? new DomainError('owner_cannot_leave', 'The owner cannot leave. Transfer ownership to another member first.')
          : new DomainError(
              'owner_cannot_be_removed',
              `${target.email} is the owner and cannot be removed. The owner must transfer ownership first.`,
            );
      }
      await trx
        .insertInto('membership_removals')
        .values({ org_id: org.orgId, user_id: target.user_id, removed_at: ctx.clock.now() })
        .onConflict((oc) => oc.columns(['org_id', 'user_id']).doUpdateSet({ removed_at: ctx.clock.now() }))
        .execute();
      await recordAudit(ctx, trx, {
        orgId: org.orgId,
        actor: actorOf(org),
        action,
        target: { type: 'member', id: target.user_id, label: target.email },
        data: { role: target.role },
      });
      const keys = await trx
        .selectFrom('api_keys')
        .selectAll()
        .where('org_id', '=', org.orgId)
        .where('created_by_user_id', '=', target.user_id)
        .orderBy('created_at', 'desc')
        .execute();
      return { removed: toMember(target), apiKeysMintedByMember: keys.map((k) => toApiKey(k)) };
    });
  }

  return {
    /** Members, newest first; filter by role, text or join time. Everyone in the organization. */
    async list(principal: Principal, input: unknown = {}) {
      const org = authorize(principal, 'members.read');
      const { limit, cursor, role, query: text, joinedAfter } = parseInput(listMembersInput, input);
      const after = decodeCursor(cursor);
      let query = memberQuery(ctx.db, org.orgId);
      if (role) query = query.where('memberships.role', '=', role);
      if (joinedAfter !== undefined) query = query.where('memberships.joined_at', '>=', Date.parse(joinedAfter));
      if (text) {
        const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where((eb) =>
          eb.or([eb('users.email', 'like', eb.val(pattern)), eb(eb.fn('lower', ['users.name']), 'like', eb.val(pattern))]),
        );
      }
      if (after) query = query.where(beforeCursor('memberships.joined_at', 'memberships.id', after));
      const rows = await query
        .orderBy('memberships.joined_at', 'desc')
        .orderBy('memberships.id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows as MemberRow[], limit, (r) => ({ at: r.joined_at, id: r.id }), toMember);
    },

    /** One member by user id or email. */
    async get(principal: Principal, input: unknown): Promise<Member> {
      const org = authorize(principal, 'members.read');
      const { member } = parseInput(memberRefInput, input);
      return toMember(await requireMember(ctx.db, org.orgId, resolveRef(org, member)));
    },

    /** Moves a member between member and admin. The owner's role only changes by transfer. */
    async changeRole(principal: Principal, input: unknown): Promise<Member> {
      const org = authorize(principal, 'members.change_role');
      const data = parseInput(changeRoleInput, input);
      if (data.role === 'owner') {
        throw new DomainError(
          'owner_only_by_transfer',
          'Nobody can be made owner by a role change; the owner transfers ownership instead.',
        );
      }
      return ctx.db.transaction().execute(async (trx) => {
        const target = await requireMember(trx, org.orgId, resolveRef(org, data.member));
        if (target.role === data.role) return toMember(target);
        const updated = await trx
          .updateTable('memberships')
          .set({ role: data.role })
          .where('id', '=', target.id)
          .where('role', '<>', 'owner')
          .returning('id')
          .executeTakeFirst();
        if (!updated) {
          throw new DomainError(
            'owner_role_locked',
            `${target.email} is the owner; the owner's role changes only when they transfer ownership.`,
          );
        }
        await recordAudit(ctx, trx, {
          orgId: org.orgId,
          actor: actorOf(org),
          action: 'member.role_changed',
          target: { type: 'member', id: target.user_id, label: target.email },
          data: { before: target.role, after: data.role },
        });
        return toMember({ ...target, role: data.role });
      });
    },

    /**
     * Removes a member or admin; takes effect on their very next request. Naming yourself
     * (or `me`) is leaving, which members may do too.
     */
    async remove(principal: Principal, input: unknown) {
      const { member } = parseInput(memberRefInput, input);
      if (principal.kind === 'member' && refersTo(principal, member)) return this.leave(principal);
      const org = authorize(principal, 'members.remove');
      const target = await requireMember(ctx.db, org.orgId, member);
      return removeMembership(org, target, 'member.removed');
    },

    /** The signed-in member leaves. The owner must transfer ownership first. */
    async leave(principal: Principal) {
      if (principal.kind === 'api_key') {
        throw new DomainError('not_a_person', 'An API key is not a member and cannot leave. Delete the key instead.');
      }
      if (principal.kind === 'member' && principal.role === 'owner') {
        throw new DomainError('owner_cannot_leave', 'The owner cannot leave. Transfer ownership to another member first.');
      }
      const org = authorize(principal, 'members.leave') as MemberPrincipal;
      const target = await requireMember(ctx.db, org.orgId, org.userId);
      return removeMembership(org, target, 'member.left');
    },

    /**
     * Makes another member the owner; the previous owner becomes an admin. Both updates are
     * guarded and the one-owner index holds under any interleaving: of two racing transfers,
     * one wins and the other is refused.
     */
    async transferOwnership(principal: Principal, input: unknown) {
      const org = authorize(principal, 'ownership.transfer');
      const { member } = parseInput(memberRefInput, input);
      return ctx.db.transaction().execute(async (trx) => {
        const target = await requireMember(trx, org.orgId, resolveRef(org, member));
        if (target.role === 'owner') {
          throw new DomainError('transfer_target_invalid', `${target.email} is already the owner.`);
        }
        // A person's session may only hand over ownership they hold right now.
        let demote = trx.updateTable('memberships').set({ role: 'admin' }).where('org_id', '=', org.orgId).where('role', '=', 'owner');
        if (org.kind === 'member') demote = demote.where('user_id', '=', org.userId);
        const previous = await demote.returning(['user_id']).executeTakeFirst();
        if (!previous) {
          throw new DomainError('concurrent_update', 'Ownership changed while this request ran; you are no longer the owner.');
        }
        const promoted = await trx
          .updateTable('memberships')
          .set({ role: 'owner' })
          .where('id', '=', target.id)
          .where('role', 'in', ['member', 'admin'])
          .returning('id')
          .executeTakeFirst();
        if (!promoted) {
          throw new DomainError('member_not_found', `${member} left the organization while this request ran.`);
        }
        const previousOwner = (await memberQuery(trx, org.orgId)
          .where('memberships.user_id', '=', previous.user_id)
          .executeTakeFirstOrThrow()) as MemberRow;
        await recordAudit(ctx, trx, {
          orgId: org.orgId,
          actor: actorOf(org),
          action: 'ownership.transferred',
          target: { type: 'member', id: target.user_id, label: target.email },
          data: { before: { owner: previousOwner.email }, after: { owner: target.email, previousOwnerRole: 'admin' } },
        });
        return { previousOwner: toMember(previousOwner), newOwner: toMember({ ...target, role: 'owner' }) };
      });
    },
  };
}
