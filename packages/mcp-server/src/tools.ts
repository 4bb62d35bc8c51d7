/**
 * One tool per intent, each calling the same core function as its REST route with the same
 * zod schema. A tool is listed only to callers whose role may use it (the core's permission
 * table); destructive tools confirm first (see confirm.ts).
 */
import { type Core, type Operation, type OrgPrincipal, schemas as s, usageRefusal } from '@zelto/core';
import { z } from 'zod';
import * as render from './render.js';

export interface ToolContext {
  core: Core;
  principal: OrgPrincipal;
}

export interface ToolDef {
  name: string;
  title: string;
  description: string;
  /** The permission this tool needs; it is not listed to roles without it. */
  operation: Operation;
  input: z.ZodObject;
  output: z.ZodObject;
  readOnly: boolean;
  destructive: boolean;
  idempotent: boolean;
  /** For destructive tools: what the person is asked to confirm. */
  confirmation?: (ctx: ToolContext, args: Record<string, unknown>) => Promise<string>;
  run(ctx: ToolContext, args: Record<string, unknown>): Promise<object>;
  text(result: never): string;
}

const confirmArg = z.boolean().optional().describe('true if the person confirmed.');
const nothing = z.object({});

/** A destructive tool's input: the core's input plus `confirm`. */
function confirmable(input: z.ZodObject): z.ZodObject {
  return input.extend({ confirm: confirmArg });
}

function tool<I extends z.ZodObject, O extends z.ZodObject>(
  def: Omit<ToolDef, 'text' | 'input' | 'output'> & { input: I; output: O; text(result: z.infer<O>): string },
): ToolDef {
  return def as unknown as ToolDef;
}

let definitions: ToolDef[] | undefined;

/** Every tool, built once (a server is built per request and only picks from this list). */
export function toolDefinitions(): ToolDef[] {
  definitions ??= buildDefinitions();
  return definitions;
}

function buildDefinitions(): ToolDef[] {
  return [
    tool({
      name: 'get_organization',
      title: 'Get organization',
      description: 'Name, slug, logo, timezone, default locale and domain join.',
      operation: 'organization.read',
      input: nothing,
      output: s.organizationSchema,
      readOnly: true,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }) => core.organizations.get(principal),
      text: render.organization,
    }),
    tool({
      name: 'update_organization',
      title: 'Update organization settings',
      description: 'Change name, IANA timezone, default locale or domain join (slug is read-only).',
      operation: 'organization.update',
      input: s.updateOrganizationInput,
      output: s.organizationSchema,
      readOnly: false,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }, args) => core.organizations.update(principal, args),
      text: (o) => `Updated.\n${render.organization(o)}`,
    }),
    tool({
      name: 'list_members',
      title: 'List members',
      description: 'Members newest first; filter by role, text or join time.',
      operation: 'members.read',
      input: s.listMembersInput,
      output: s.memberPageSchema,
      readOnly: true,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }, args) => core.members.list(principal, args),
      text: (p) => render.page(p.data, p.nextCursor, render.member, 'members'),
    }),
    tool({
      name: 'change_member_role',
      title: "Change a member's role",
      description: 'Switch a member between member and admin, by id or email.',
      operation: 'members.change_role',
      input: s.changeRoleInput,
      output: s.memberSchema,
      readOnly: false,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }, args) => core.members.changeRole(principal, args),
      text: (m) => `Done. ${render.member(m)}`,
    }),
    tool({
      name: 'remove_member',
      title: 'Remove a member',
      description: 'Remove a member or admin (id or email); lists keys they minted.',
      operation: 'members.remove',
      input: confirmable(s.memberRefInput),
      output: s.removeMemberResultSchema,
      readOnly: false,
      destructive: true,
      idempotent: false,
      async confirmation({ core, principal }, args) {
        const m = await core.members.get(principal, { member: args.member });
        return `Remove ${m.name} <${m.email}> (${m.role}) from the organization?`;
      },
      run: ({ core, principal }, args) => core.members.remove(principal, args),
      text: (r) =>
        [
          `Removed ${r.removed.email}; their next request is refused.`,
          r.apiKeysMintedByMember.length === 0
            ? 'They minted no API keys.'
            : `API keys they minted still work (keys belong to the organization); delete any that should not with delete_api_key:\n${r.apiKeysMintedByMember.map((k) => `- ${render.apiKey(k)}`).join('\n')}`,
        ].join('\n'),
    }),
    tool({
      name: 'transfer_ownership',
      title: 'Transfer ownership',
      description: 'Make another member the owner; you become an admin.',
      operation: 'ownership.transfer',
      input: confirmable(s.memberRefInput),
      output: s.transferOwnershipResultSchema,
      readOnly: false,
      destructive: true,
      idempotent: false,
      async confirmation({ core, principal }, args) {
        const m = await core.members.get(principal, { member: args.member });
        return `Make ${m.name} <${m.email}> the owner? The current owner becomes an admin.`;
      },
      run: ({ core, principal }, args) => core.members.transferOwnership(principal, args),
      text: (r) => `${r.newOwner.email} is now the owner; ${r.previousOwner.email} is now an admin.`,
    }),
    tool({
      name: 'invite_members',
      title: 'Invite people by email',
      description: 'Invite email or emails as member or admin; reports each address.',
      operation: 'invitations.manage',
      input: s.createInvitationsInput,
      output: s.inviteResultSchema,
      readOnly: false,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }, args) => core.invitations.invite(principal, args),
      text: (r) => r.results.map((x) => `- ${x.message}`).join('\n'),
    }),
    tool({
      name: 'list_invitations',
      title: 'List invitations',
      description: 'Invitations newest first, with status; filter by status.',
      operation: 'invitations.manage',
      input: s.listInvitationsInput,
      output: s.invitationPageSchema,
      readOnly: true,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }, args) => core.invitations.list(principal, args),
      text: (p) => render.page(p.data, p.nextCursor, render.invitation, 'invitations'),
    }),
    tool({
      name: 'resend_invitation',
      title: 'Resend an invitation',
      description: 'Resend with a new link valid 7 days; the old link dies.',
      operation: 'invitations.manage',
      input: s.invitationIdInput,
      output: s.invitationSchema.extend({ emailSent: z.boolean() }),
      readOnly: false,
      destructive: false,
      idempotent: false,
      run: ({ core, principal }, args) => core.invitations.resend(principal, args),
      text: (i) => `${i.emailSent ? 'Resent' : 'Renewed, but the email could not be sent'}: ${render.invitation(i)}`,
    }),
    tool({
      name: 'revoke_invitation',
      title: 'Revoke an invitation',
      description: 'Revoke a pending invitation; its link dies at once.',
      operation: 'invitations.manage',
      input: confirmable(s.invitationIdInput),
      output: s.invitationSchema,
      readOnly: false,
      destructive: true,
      idempotent: true,
      confirmation: async (_ctx, args) => `Revoke invitation ${String(args.id)}? Its link stops working at once.`,
      run: ({ core, principal }, args) => core.invitations.revoke(principal, args),
      text: (i) => `Revoked: ${render.invitation(i)}`,
    }),
    tool({
      name: 'get_invite_link',
      title: 'Get the invite link',
      description: 'The link anyone can use to join as a member, with its expiry.',
      operation: 'invite_link.manage',
      input: nothing,
      output: s.inviteLinkSchema,
      readOnly: true,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }) => core.inviteLink.get(principal),
      text: render.inviteLink,
    }),
    tool({
      name: 'regenerate_invite_link',
      title: 'Regenerate the invite link',
      description: 'New 30-day invite link; the old URL dies at once.',
      operation: 'invite_link.manage',
      input: confirmable(nothing),
      output: s.inviteLinkSchema,
      readOnly: false,
      destructive: true,
      idempotent: false,
      confirmation: async () => 'Regenerate the invite link? The current URL stops working at once.',
      run: ({ core, principal }) => core.inviteLink.regenerate(principal),
      text: (l) => `New link. ${render.inviteLink(l)}`,
    }),
    tool({
      name: 'revoke_invite_link',
      title: 'Revoke the invite link',
      description: 'No link works until one is regenerated.',
      operation: 'invite_link.manage',
      input: confirmable(nothing),
      output: s.inviteLinkSchema,
      readOnly: false,
      destructive: true,
      idempotent: true,
      confirmation: async () => 'Revoke the invite link? Nobody can join with it until a new one is generated.',
      run: ({ core, principal }) => core.inviteLink.revoke(principal),
      text: render.inviteLink,
    }),
    tool({
      name: 'list_domains',
      title: 'List domains',
      description: 'Domains, their status and the TXT record to publish.',
      operation: 'domains.manage',
      input: nothing,
      output: s.domainListSchema,
      readOnly: true,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }) => core.domains.list(principal),
      text: (l) => (l.data.length === 0 ? 'No domains.' : l.data.map((d) => `- ${render.domain(d)}`).join('\n')),
    }),
    tool({
      name: 'add_domain',
      title: 'Add a domain',
      description: 'Add a domain to verify; returns the TXT record to publish.',
      operation: 'domains.manage',
      input: s.domainInput,
      output: s.domainSchema,
      readOnly: false,
      destructive: false,
      idempotent: false,
      run: ({ core, principal }, args) => core.domains.add(principal, args),
      text: render.domain,
    }),
    tool({
      name: 'verify_domain',
      title: 'Verify a domain',
      description: 'Check the TXT record; on failure, says what DNS held.',
      operation: 'domains.manage',
      input: s.domainInput,
      output: s.domainSchema,
      readOnly: false,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }, args) => core.domains.verify(principal, args),
      text: render.domain,
    }),
    tool({
      name: 'remove_domain',
      title: 'Remove a domain',
      description: 'Remove a domain; its people stop auto-joining.',
      operation: 'domains.manage',
      input: confirmable(s.domainInput),
      output: z.object({ removed: s.domainSchema }),
      readOnly: false,
      destructive: true,
      idempotent: true,
      confirmation: async (_ctx, args) => `Remove the domain ${String(args.domain)}? People on it stop joining automatically.`,
      run: ({ core, principal }, args) => core.domains.remove(principal, args),
      text: (r) => `Removed ${r.removed.domain}.`,
    }),
    tool({
      name: 'list_api_keys',
      title: 'List API keys',
      description: 'Keys newest first: role, stub, minter, last use.',
      operation: 'api_keys.manage',
      input: s.listApiKeysInput,
      output: s.apiKeyPageSchema,
      readOnly: true,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }, args) => core.apiKeys.list(principal, args),
      text: (p) => render.page(p.data, p.nextCursor, render.apiKey, 'API keys'),
    }),
    tool({
      name: 'create_api_key',
      title: 'Create an API key',
      description: 'Mint a key (role at most yours). The secret is shown only now.',
      operation: 'api_keys.manage',
      input: s.createApiKeyInput,
      output: s.createdApiKeySchema,
      readOnly: false,
      destructive: false,
      idempotent: false,
      run: ({ core, principal }, args) => core.apiKeys.create(principal, args),
      text: (k) => `${render.apiKey(k)}\nSecret (shown only now): ${k.secret}`,
    }),
    tool({
      name: 'delete_api_key',
      title: 'Delete an API key',
      description: 'Delete a key; its next request fails.',
      operation: 'api_keys.manage',
      input: confirmable(s.apiKeyIdInput),
      output: z.object({ deleted: s.apiKeySchema }),
      readOnly: false,
      destructive: true,
      idempotent: true,
      confirmation: async (_ctx, args) => `Delete API key ${String(args.id)}? Anything using it stops working at once.`,
      run: ({ core, principal }, args) => core.apiKeys.delete(principal, args),
      text: (r) => `Deleted: ${render.apiKey(r.deleted)}`,
    }),
    tool({
      name: 'record_usage',
      title: 'Record usage',
      description: 'Record usage events; an idempotencyKey counts once. Refused when quota is spent.',
      operation: 'usage.record',
      input: s.recordUsageInput,
      output: s.recordUsageResultSchema,
      readOnly: false,
      destructive: false,
      idempotent: true,
      async run({ core, principal }, args) {
        const result = await core.usage.record(principal, args);
        const refusal = usageRefusal(result);
        if (refusal) throw refusal;
        return result;
      },
      text: (r) =>
        [
          `${r.accepted} accepted, ${r.duplicates} duplicates, ${r.refused} refused.`,
          ...r.results.filter((x) => x.status === 'refused').map((x) => `- ${x.idempotencyKey}: ${x.message}`),
          ...(r.billingPortalUrl ? [`Add a payment method: ${r.billingPortalUrl}`] : []),
        ].join('\n'),
    }),
    tool({
      name: 'get_usage',
      title: 'Get usage',
      description: 'Per meter: used, quota, grants, remaining, overage, by source.',
      operation: 'usage.read',
      input: s.usageSummaryInput,
      output: s.usageSummarySchema,
      readOnly: true,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }, args) => core.usage.summary(principal, args),
      text: render.usage,
    }),
    tool({
      name: 'get_daily_usage',
      title: 'Get daily usage',
      description: 'Usage per local day (org timezone) with day-over-day change.',
      operation: 'usage.read',
      input: s.dailyUsageInput,
      output: s.dailyUsageSchema,
      readOnly: true,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }, args) => core.usage.daily(principal, args),
      text: render.daily,
    }),
    tool({
      name: 'open_billing_portal',
      title: 'Open the billing portal',
      description: 'A single-use 30-minute link where a person adds a payment method.',
      operation: 'billing.portal',
      input: nothing,
      output: s.portalSessionSchema,
      readOnly: false,
      destructive: false,
      idempotent: false,
      run: ({ core, principal }) => core.billing.openPortal(principal),
      text: (p) => `Billing portal (works once, until ${p.expiresAt}): ${p.url}`,
    }),
    tool({
      name: 'list_audit_events',
      title: 'List audit events',
      description: 'Who changed what, newest first; filter by action.',
      operation: 'audit.read',
      input: s.listAuditEventsInput,
      output: s.auditEventPageSchema,
      readOnly: true,
      destructive: false,
      idempotent: true,
      run: ({ core, principal }, args) => core.audit.list(principal, args),
      text: (p) => render.page(p.data, p.nextCursor, render.auditEvent, 'audit events'),
    }),
  ];
}
