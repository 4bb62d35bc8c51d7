/** Prompts: ready-made tasks that gather the facts first, so the assistant starts informed. */
import type { McpServer } from '@modelcontextprotocol/server';
import { type Core, can, type OrgPrincipal } from '@zelto/core';
import * as render from './render.js';

export function registerPrompts(server: McpServer, core: Core, principal: OrgPrincipal, resolve: () => Promise<OrgPrincipal>): void {
  if (!can(principal.role, 'api_keys.manage') || !can(principal.role, 'invitations.manage')) return;
  server.registerPrompt(
    'access_review',
    {
      title: 'Access review',
      description: 'Review who can administer the organization: owners and admins, API keys, pending invitations and the invite link.',
    },
    async () => {
      const p = await resolve();
      const [org, owners, admins, keys, pending, link] = await Promise.all([
        core.organizations.get(p),
        core.members.list(p, { role: 'owner', limit: 100 }),
        core.members.list(p, { role: 'admin', limit: 100 }),
        core.apiKeys.list(p, { limit: 100 }),
        core.invitations.list(p, { status: 'pending', limit: 100 }),
        core.inviteLink.get(p),
      ]);
      const text = [
        `Please review access to the Zelto organization ${org.name} (${org.slug}).`,
        'Point out anything that looks risky or stale (admins who may not need it, keys unused for a long time or with more role than they need, old pending invitations, an invite link that has been active long), and propose changes. Do not change anything until I confirm.',
        '',
        `Owner:\n${render.page(owners.data, null, render.member, 'owners')}`,
        `Admins:\n${render.page(admins.data, admins.nextCursor, render.member, 'admins')}`,
        `API keys:\n${render.page(keys.data, keys.nextCursor, render.apiKey, 'API keys')}`,
        `Pending invitations:\n${render.page(pending.data, pending.nextCursor, render.invitation, 'pending invitations')}`,
        `Invite link: ${render.inviteLink(link)}`,
      ].join('\n\n');
      return { messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] };
    },
  );
}
