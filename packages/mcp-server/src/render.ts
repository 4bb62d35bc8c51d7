/** Plain-text renderings of core results, for the text half of each tool result. */
import type { schemas } from '@zelto/core';
import type { z } from 'zod';

type Org = z.infer<typeof schemas.organizationSchema>;
type Member = z.infer<typeof schemas.memberSchema>;
type Invitation = z.infer<typeof schemas.invitationSchema>;
type ApiKey = z.infer<typeof schemas.apiKeySchema>;
type InviteLink = z.infer<typeof schemas.inviteLinkSchema>;
type AuditEvent = z.infer<typeof schemas.auditEventSchema>;
type Usage = z.infer<typeof schemas.usageSummarySchema>;
type Domain = z.infer<typeof schemas.domainSchema>;
type Daily = z.infer<typeof schemas.dailyUsageSchema>;

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

export function usage(u: Usage): string {
  const lines = [`Usage for ${u.period.label} (${u.period.timezone}); payment method ${u.paymentMethod ? 'on file' : 'not on file'}.`];
  for (const m of u.meters) {
    lines.push(
      `- ${m.meter}: ${m.used} ${m.unit} used of ${m.quota} quota; ${m.remaining} left (${m.quotaRemaining} quota + ${m.grantsRemaining} grants)${m.overage ? `; ${m.overage} overage` : ''}`,
    );
    for (const s of m.bySource) lines.push(`  - ${s.source}: ${s.quantity} ${m.unit} in ${s.events} events`);
  }
  return lines.join('\n');
}

export function daily(d: Daily): string {
  const pct = (p: number | null) => (p === null ? 'n/a' : `${p > 0 ? '+' : ''}${p}%`);
  return [
    `Daily usage ${d.from} to ${d.to} (${d.timezone}):`,
    ...d.days.map(
      (day) =>
        `- ${day.date}: ${day.values.calls_analyzed} calls (${pct(day.change.calls_analyzed.percent)}), ${day.values.transcript_minutes} minutes (${pct(day.change.transcript_minutes.percent)})`,
    ),
  ].join('\n');
}

export function domain(d: Domain): string {
  return d.status === 'verified'
    ? `${d.domain}: verified ${day(d.verifiedAt)}`
    : `${d.domain}: pending. Publish a TXT record named ${d.record.name} with the value ${d.record.value}, then verify_domain.`;
}
