/** First run of `pnpm start`: an organization, its owner key, its invite link and MCP settings, printed once. */
import { fileURLToPath } from 'node:url';
import type { Runtime } from './runtime.js';

export interface Bootstrapped {
  organization: { id: string; slug: string; name: string };
  ownerEmail: string;
  apiKey: string;
  inviteLink: string | null;
}

/** Creates the first organization when there is none; returns undefined otherwise. */
export async function bootstrapIfEmpty(runtime: Runtime): Promise<Bootstrapped | undefined> {
  const { core, config } = runtime;
  if ((await core.operator.countOrganizations()) > 0) return undefined;
  const created = await core.operator.createOrganization({ name: config.bootstrapOrgName, ownerEmail: config.bootstrapOwnerEmail });
  const auth = await core.authenticate(created.apiKey.secret);
  const inviteLink = auth.ok ? (await core.inviteLink.get(auth.principal)).url : null;
  return {
    organization: { id: created.organization.id, slug: created.organization.slug, name: created.organization.name },
    ownerEmail: created.owner.email,
    apiKey: created.apiKey.secret,
    inviteLink,
  };
}

/** The banner: everything needed to start using the new organization, shown once. */
export function bootstrapBanner(result: Bootstrapped, runtime: Runtime, serverUrl: string): string {
  const bin = fileURLToPath(new URL('./bin.js', import.meta.url));
  const stdio = {
    mcpServers: {
      zelto: {
        command: process.execPath,
        args: [bin, 'mcp'],
        env: {
          ZELTO_API_KEY: result.apiKey,
          ...(/^postgres/.test(runtime.config.database)
            ? { DATABASE_URL: runtime.config.database }
            : { ZELTO_DB: runtime.config.database }),
        },
      },
    },
  };
  const http = { mcpServers: { zelto: { type: 'http', url: `${serverUrl}/mcp`, headers: { Authorization: `Bearer ${result.apiKey}` } } } };
  return [
    '',
    `Created organization "${result.organization.name}" (slug: ${result.organization.slug}), owned by ${result.ownerEmail}.`,
    '',
    'Owner API key (shown once; store it now):',
    `  ${result.apiKey}`,
    '',
    'Invite link (valid 30 days):',
    `  ${result.inviteLink ?? '(none)'}`,
    '',
    'MCP client configuration, stdio (Claude Desktop, Claude Code, ...):',
    JSON.stringify(stdio, null, 2),
    '',
    'MCP client configuration, Streamable HTTP:',
    JSON.stringify(http, null, 2),
    '',
    'Try it:',
    `  curl -H "Authorization: Bearer ${result.apiKey}" ${serverUrl}/v1/members`,
    '',
  ].join('\n');
}
