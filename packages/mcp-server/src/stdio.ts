/** MCP over stdio for `zelto mcp`: the key from ZELTO_API_KEY, checked again on every tool call. */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { type Core, DomainError, type OrgPrincipal, refusalError } from '@zelto/core';
import type { ErrorLogger } from './results.js';
import { buildMcpServer } from './server.js';
import type { ToolDef } from './tools.js';

export interface McpStdioOptions {
  core: Core;
  apiKey: string | undefined;
  logger?: ErrorLogger;
  extraTools?: ToolDef[];
}

async function principalOf(core: Core, apiKey: string | undefined): Promise<OrgPrincipal> {
  const auth = await core.authenticate(apiKey);
  if (!auth.ok) throw refusalError(auth);
  if (auth.principal.kind === 'person') {
    throw new DomainError('organization_required', 'zelto mcp needs an organization API key (zlt_...) in ZELTO_API_KEY.');
  }
  return auth.principal;
}

/** Serves MCP on stdin/stdout until closed. Rejects (before serving) if the key is not valid. */
export async function serveMcpStdio(options: McpStdioOptions): Promise<{ close(): Promise<void> }> {
  const principal = await principalOf(options.core, options.apiKey);
  const handle = serveStdio(
    () =>
      buildMcpServer({
        core: options.core,
        principal,
        resolvePrincipal: () => principalOf(options.core, options.apiKey),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.extraTools ? { extraTools: options.extraTools } : {}),
      }),
    { onerror: (error: unknown) => options.logger?.error({ err: error }, 'mcp stdio error') },
  );
  return { close: async () => handle.close() };
}
