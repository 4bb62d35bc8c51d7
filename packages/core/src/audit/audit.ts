import { z } from 'zod';
import { toIso } from '../clock.js';
import type { CoreContext, Db } from '../context.js';
import type { AuditEventsTable } from '../db/schema.js';
import { beforeCursor, decodeCursor, toPage } from '../pagination.js';
import { authorize } from '../permissions.js';
import type { Actor, Principal } from '../principal.js';
import { actorSchema, isoDateTime, pageSchema, paginationSchema } from '../schemas.js';
import { parseInput } from '../validation.js';

/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'organization.created',
  'organization.updated',
  'organization.logo_updated',
  'organization.logo_removed',
  'member.joined',
  'member.removed',
  'member.left',
  'member.role_changed',
  'ownership.transferred',
  'invitation.sent',
  'invitation.resent',
  'invitation.revoked',
  'invitation.accepted',
  'invite_link.regenerated',
  'invite_link.revoked',
  'api_key.created',
  'api_key.deleted',
  'domain.added',
  'domain.verified',
  'domain.removed',
  'usage.threshold_reached',
  'quota.updated',
  'grant.added',
  'billing.payment_method_added',
  'billing.payment_method_removed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditTarget {
  type: 'organization' | 'member' | 'invitation' | 'invite_link' | 'api_key' | 'domain' | 'meter' | 'grant' | 'billing';
  id: string | null;
  label?: string | null;
}

export interface AuditEntry {
  orgId: string;
  actor: Actor;
  action: AuditAction;
  target: AuditTarget;
  /** Before/after values or other facts worth keeping. Never secrets. */
  data?: Record<string, unknown>;
}

/** Writes one audit event, inside the caller's transaction. */
export async function recordAudit(ctx: CoreContext, db: Db, entry: AuditEntry): Promise<void> {
  const row: AuditEventsTable = {
    id: ctx.ids.id('evt'),
    org_id: entry.orgId,
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    actor_label: entry.actor.label,
    actor_minter_id: entry.actor.minterId ?? null,
    action: entry.action,
    target_type: entry.target.type,
    target_id: entry.target.id,
    target_label: entry.target.label ?? null,
    data: entry.data === undefined ? null : JSON.stringify(entry.data),
    created_at: ctx.clock.now(),
  };
  await db.insertInto('audit_events').values(row).execute();
}

export const auditEventSchema = z
  .object({
    id: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    actor: actorSchema.extend({
      minterId: z.string().nullable().describe('For an API key: the user who minted it.'),
    }),
    target: z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() }),
    data: z.record(z.string(), z.unknown()).nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const listAuditEventsInput = paginationSchema.extend({
  action: z.enum(AUDIT_ACTIONS).optional().describe('e.g. member.removed'),
});
export const auditEventPageSchema = pageSchema(auditEventSchema).meta({ id: 'AuditEventPage' });

function toAuditEvent(row: AuditEventsTable): AuditEvent {
  return {
    id: row.id,
    action: row.action as AuditAction,
    actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label, minterId: row.actor_minter_id },
    target: { type: row.target_type, id: row.target_id, label: row.target_label },
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
    createdAt: toIso(row.created_at),
  };
}

export function auditUseCases(ctx: CoreContext) {
  return {
    /** The organization's audit log, newest first. Admins and owners. */
    async list(principal: Principal, input: unknown = {}) {
      const org = authorize(principal, 'audit.read');
      const { limit, cursor, action } = parseInput(listAuditEventsInput, input);
      const after = decodeCursor(cursor);
      let query = ctx.db.selectFrom('audit_events').selectAll().where('org_id', '=', org.orgId);
      if (action) query = query.where('action', '=', action);
      if (after) query = query.where(beforeCursor('created_at', 'id', after));
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, (r) => ({ at: r.created_at, id: r.id }), toAuditEvent);
    },
  };
}
