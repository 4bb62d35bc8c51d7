/** Plain-text renderings of core results, for the text half of each tool result. */
import type { schemas } from '@zelto/core';
import type { z } from 'zod';

type Org = z.infer<typeof schemas.organizationSchema>;
type Member = z.infer<typeof schemas.memberSchema>;
type Invitation = z.infer<typeof schemas.invitationSchema>;
type ApiKey = z.infer<typeof schemas.apiKeySchema>;
type InviteLink = z.infer<typeof schemas.inviteLinkSchema>;
type AuditEvent = z.infer<typeof schemas.auditEventSchema>;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'never');

export function organization(o: Org): string {
  return [
    `${o.name} (slug ${o.slug}, id ${o.id})`,
    `timezone ${o.timezone}; default locale ${o.defaultLocale}; domain join ${o.domainJoin ? 'on' : 'off'}`,
    `logo: ${o.logoUrl ?? 'none'}`,
  ].join('\n');
}

export function member(m: Member): string {
  return `${m.name} <${m.email}>: ${m.role}, joined ${day(m.joinedAt)} via ${m.joinedVia} (${m.userId})`;
}

export function invitation(i: Invitation): string {
  return `${i.email}: ${i.role}, ${i.status}, expires ${day(i.expiresAt)}, invited by ${i.invitedBy.label} (${i.id})`;
}

export function apiKey(k: ApiKey): string {
  return `${k.name}: ${k.role} key ${k.stub}, created ${day(k.createdAt)} by ${k.createdBy.label}, last used ${day(k.lastUsedAt)} (${k.id})`;
}

export function inviteLink(l: InviteLink): string {
  if (l.status === 'revoked') return 'The invite link is revoked: no link works until you regenerate one.';
  return `Invite link (${l.status}${l.expiresAt ? `, expires ${day(l.expiresAt)}` : ''}): ${l.url}`;
}

export function auditEvent(e: AuditEvent): string {
  const target = e.target.label ?? e.target.id ?? e.target.type;
  return `${e.createdAt} ${e.actor.label} ${e.action} ${target}${e.data ? ` ${JSON.stringify(e.data)}` : ''}`;
}

/** A page of items, with how to get the next one. */
export function page<T>(items: T[], nextCursor: string | null, line: (item: T) => string, noun: string): string {
  if (items.length === 0) return `No ${noun}.`;
  const body = items.map((item) => `- ${line(item)}`).join('\n');
  return nextCursor ? `${body}\nMore ${noun}: call again with cursor "${nextCursor}".` : body;
}
