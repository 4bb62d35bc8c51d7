import { recordAudit } from '../audit/audit.js';
import { toIso } from '../clock.js';
import type { CoreContext, Db } from '../context.js';
import { sha256 } from '../crypto.js';
import type { ApiKeysTable, Role } from '../db/schema.js';
import { DomainError } from '../errors.js';
import { beforeCursor, decodeCursor, toPage } from '../pagination.js';
import { authorize, ROLE_RANK } from '../permissions.js';
import { type Actor, actorOf, type Principal } from '../principal.js';
import { parseInput } from '../validation.js';
import { generateApiKey } from './key-format.js';
import type { LastUsedTracker } from './last-used.js';
import { type ApiKey, apiKeyIdInput, type CreatedApiKey, createApiKeyInput, listApiKeysInput } from './schema.js';

export function toApiKey(row: ApiKeysTable, pendingLastUsed?: number): ApiKey {
  const lastUsed = Math.max(row.last_used_at ?? 0, pendingLastUsed ?? 0);
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    stub: row.stub,
    createdBy: row.created_by_key_id
      ? { type: 'api_key', id: row.created_by_key_id, label: row.created_by_label }
      : row.created_by_user_id
        ? { type: 'user', id: row.created_by_user_id, label: row.created_by_label }
        : { type: 'operator', id: null, label: row.created_by_label },
    createdAt: toIso(row.created_at),
    lastUsedAt: lastUsed > 0 ? toIso(lastUsed) : null,
  };
}

/** Mints a key inside the caller's transaction and records it in the audit log. */
export async function mintApiKey(
  ctx: CoreContext,
  db: Db,
  input: { orgId: string; name: string; role: Role; actor: Actor },
): Promise<CreatedApiKey> {
  const key = generateApiKey(ctx.ids);
  const row: ApiKeysTable = {
    id: key.id,
    org_id: input.orgId,
    name: input.name,
    role: input.role,
    secret_hash: sha256(key.secret),
    stub: key.stub,
    // A key minted by a key is attributed to that key and, through it, to its minter.
    created_by_user_id: input.actor.type === 'user' ? input.actor.id : (input.actor.minterId ?? null),
    created_by_key_id: input.actor.type === 'api_key' ? input.actor.id : null,
    created_by_label: input.actor.label,
    created_at: ctx.clock.now(),
    last_used_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  await recordAudit(ctx, db, {
    orgId: input.orgId,
    actor: input.actor,
    action: 'api_key.created',
    target: { type: 'api_key', id: row.id, label: row.name },
    data: { role: row.role },
  });
  return { ...toApiKey(row), secret: key.secret };
}

export function apiKeyUseCases(ctx: CoreContext, lastUsed: LastUsedTracker) {
  return {
    /** Mints a key with a role no higher than the caller's. The secret is in this answer only. */
    async create(principal: Principal, input: unknown): Promise<CreatedApiKey> {
      const org = authorize(principal, 'api_keys.manage');
      const data = parseInput(createApiKeyInput, input);
      if (ROLE_RANK[data.role] > ROLE_RANK[org.role]) {
        throw new DomainError(
          'key_role_exceeds_minter',
          `A key's role can be at most your own (${org.role}); mint it as ${org.role === 'admin' ? 'member or admin' : 'member'}.`,
        );
      }
      return ctx.db
        .transaction()
        .execute((trx) => mintApiKey(ctx, trx, { orgId: org.orgId, name: data.name, role: data.role, actor: actorOf(org) }));
    },

    /** The organization's keys, newest first. Secrets are never shown again. */
    async list(principal: Principal, input: unknown = {}) {
      const org = authorize(principal, 'api_keys.manage');
      const { limit, cursor } = parseInput(listApiKeysInput, input);
      const after = decodeCursor(cursor);
      let query = ctx.db.selectFrom('api_keys').selectAll().where('org_id', '=', org.orgId);
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
        (r) => toApiKey(r, lastUsed.pendingFor(r.id)),
      );
    },

    /** Deletes a key: the very next request made with it fails, on every server. */
    async delete(principal: Principal, input: unknown): Promise<{ deleted: ApiKey }> {
      const org = authorize(principal, 'api_keys.manage');
      const { id } = parseInput(apiKeyIdInput, input);
      return ctx.db.transaction().execute(async (trx) => {
        const row = await trx.deleteFrom('api_keys').where('id', '=', id).where('org_id', '=', org.orgId).returningAll().executeTakeFirst();
        if (!row) {
          throw new DomainError('api_key_not_found', `No API key ${id} in this organization. List the keys to find its id.`);
        }
        await recordAudit(ctx, trx, {
          orgId: org.orgId,
          actor: actorOf(org),
          action: 'api_key.deleted',
          target: { type: 'api_key', id: row.id, label: row.name },
          data: { role: row.role },
        });
        return { deleted: toApiKey(row, lastUsed.pendingFor(row.id)) };
      });
    },

    /** Writes the remembered `lastUsedAt` values; the composition root calls it on a timer and at shutdown. */
    async flushLastUsed(): Promise<number> {
      const entries = lastUsed.drain();
      for (const [id, at] of entries) {
        await ctx.db
          .updateTable('api_keys')
          .set({ last_used_at: at })
          .where('id', '=', id)
          .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
          .execute();
      }
      return entries.length;
    },
  };
}
