/**
 * Builds the MCP server for one caller: only the tools their role may use, each a thin call
 * into the core. A fresh server per HTTP request (stateless) or per stdio connection.
 */
import {
  acceptedContent,
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  inputResponse,
  McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { type Core, can, type OrgPrincipal } from '@zelto/core';
import { z } from 'zod';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { type ErrorLogger, errorResult, failure, ok, type ToolResult } from './results.js';
import { inputSchemaOf, outputSchemaOf } from './schema-json.js';
import { type ToolContext, type ToolDef, toolDefinitions } from './tools.js';

export const SERVER_INFO = { name: 'zelto', version: '0.1.0' };

const INSTRUCTIONS = [
  "Zelto manages an organization's members, roles, invitations, invite link, domains, API keys, usage and billing.",
  'Members are named by user id or email. Roles: member < admin < owner; ownership moves only with transfer_ownership.',
  'Destructive tools ask the person to confirm; if your client cannot ask, get their confirmation yourself and pass confirm: true.',
].join(' ');

export interface McpServerOptions {
  core: Core;
  /** The caller as authenticated for this request or connection: decides which tools are listed. */
  principal: OrgPrincipal;
  /**
   * The caller at the moment a tool runs. Over HTTP this is the request's principal; over
   * stdio the key is checked again on every call, so a deleted key stops working at once.
   */
  resolvePrincipal?: () => Promise<OrgPrincipal>;
  logger?: ErrorLogger;
  /** More tools (usage, domains, billing) from the composition root. */
  extraTools?: ToolDef[];
}

const confirmSchema = z.object({ confirm: z.boolean().meta({ title: 'Confirm' }) });

/** Whether the client can answer an elicitation request on this request. */
function clientCanElicit(ctx: ServerContext, server: McpServer): boolean {
  const envelope = (ctx.mcpReq as { envelope?: Record<string, unknown> }).envelope;
  const fromEnvelope = envelope?.[CLIENT_CAPABILITIES_META_KEY] as { elicitation?: unknown } | undefined;
  if (fromEnvelope) return Boolean(fromEnvelope.elicitation);
  return Boolean(server.server.getClientCapabilities()?.elicitation);
}

/**
 * The confirmation step of a destructive tool: undefined to go ahead, or a result to return
 * (a question for the person, or why nothing happened).
 */
async function confirmationGate(
  def: ToolDef,
  tool: ToolContext,
  args: Record<string, unknown>,
  confirm: unknown,
  ctx: ServerContext,
  server: McpServer,
): Promise<ToolResult | ReturnType<typeof inputRequired> | undefined> {
  if (confirm === true || !def.confirmation) return undefined;
  const responses = ctx.mcpReq.inputResponses;
  const view = inputResponse(responses, 'confirm');
  if (view.kind === 'elicit' && view.action !== 'accept') {
    return failure(`Not done: the person ${view.action === 'decline' ? 'declined' : 'cancelled'}. Nothing changed.`);
  }
  const accepted = acceptedContent(responses, 'confirm', confirmSchema);
  if (accepted?.confirm === true) return undefined;
  if (accepted) return failure('Not done: the person did not confirm. Nothing changed.');
  const question = await def.confirmation(tool, args);
  if (!clientCanElicit(ctx, server)) {
    return failure(
      `${question}\nThis needs the person's confirmation. Ask them; if they agree, call ${def.name} again with confirm: true.`,
    );
  }
  return inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: question, requestedSchema: confirmSchema }) } });
}

export function buildMcpServer(options: McpServerOptions): McpServer {
  const { core, principal } = options;
  const logger = options.logger ?? { error: () => {} };
  const resolvePrincipal = options.resolvePrincipal ?? (async () => principal);
  const server = new McpServer(SERVER_INFO, { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS });

  for (const def of [...toolDefinitions(), ...(options.extraTools ?? [])]) {
    if (!can(principal.role, def.operation)) continue;
    server.registerTool(
      def.name,
      {
        title: def.title,
        description: def.description,
        // The core validates input (its strict schemas name every bad or unknown field, and
        // rules such as "the slug is read-only" keep their own clear errors).
        inputSchema: inputSchemaOf(def.input),
        outputSchema: outputSchemaOf(def.output),
        annotations: { readOnlyHint: def.readOnly, destructiveHint: def.destructive, idempotentHint: def.idempotent, openWorldHint: false },
      },
      (async (raw: Record<string, unknown>, ctx: ServerContext) => {
        try {
          const current = await resolvePrincipal();
          const tool = { core, principal: current };
          const { confirm, ...args } = raw;
          if (def.destructive) {
            const gate = await confirmationGate(def, tool, args, confirm, ctx, server);
            if (gate) return gate;
          }
          const result = await def.run(tool, def.destructive ? args : raw);
          return ok(result, def.text(result as never));
        } catch (error) {
          return errorResult(error, logger, def.name);
        }
      }) as never,
    );
  }
  registerResources(server, options.core, principal, resolvePrincipal);
  registerPrompts(server, options.core, principal, resolvePrincipal);
  return server;
}
