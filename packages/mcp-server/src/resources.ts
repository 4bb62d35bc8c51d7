/** Resources: the organization and its members, readable as one JSON document. */
import type { McpServer } from '@modelcontextprotocol/server';
import { type Core, can, type OrgPrincipal } from '@zelto/core';

export const ORGANIZATION_URI = 'zelto://organization';

export function registerResources(server: McpServer, core: Core, principal: OrgPrincipal, resolve: () => Promise<OrgPrincipal>): void {
  if (!can(principal.role, 'members.read')) return;
  server.registerResource(
    'organization',
    ORGANIZATION_URI,
    {
      title: 'Organization and members',
      description: 'The organization settings and its members (up to 500), as JSON.',
      mimeType: 'application/json',
    },
    async (uri: URL) => {
      const p = await resolve();
      const organization = await core.organizations.get(p);
      const members = [];
      let cursor: string | undefined;
      do {
        const page = await core.members.list(p, { limit: 100, ...(cursor ? { cursor } : {}) });
        members.push(...page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && members.length < 500);
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: 'application/json',
            text: JSON.stringify({ organization, members, truncated: Boolean(cursor) }, null, 2),
          },
        ],
      };
    },
  );
}
