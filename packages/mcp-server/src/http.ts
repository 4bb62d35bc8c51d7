/**
 * MCP over stateless Streamable HTTP: Host and Origin checks, the bearer key checked by the
 * core's one authentication function, then a fresh server for this caller.
 */
import {
  type AuthInfo,
  createMcpHandler,
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  originValidationResponse,
} from '@modelcontextprotocol/server';
import type { Core, OrgPrincipal } from '@zelto/core';
import type { ErrorLogger } from './results.js';
import { buildMcpServer } from './server.js';
import type { ToolDef } from './tools.js';

export interface McpHttpOptions {
  core: Core;
  /** Host names (no port) the endpoint answers to, besides localhost: the public URL's host. */
  allowedHostnames?: string[];
  /** Origin host names allowed for browser callers, besides localhost. Requests without Origin pass. */
  allowedOrigins?: string[];
  logger?: ErrorLogger;
  extraTools?: ToolDef[];
}

function jsonRpcError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A fetch handler for `/mcp`. */
export function createMcpHttpHandler(options: McpHttpOptions): (request: Request) => Promise<Response> {
  const hostnames = [...localhostAllowedHostnames(), ...(options.allowedHostnames ?? [])];
  const origins = [...localhostAllowedHostnames(), ...(options.allowedOrigins ?? [])];
  const handler = createMcpHandler(
    (ctx) => {
      const principal = ctx.authInfo?.extra?.principal as OrgPrincipal;
      return buildMcpServer({
        core: options.core,
        principal,
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.extraTools ? { extraTools: options.extraTools } : {}),
      });
    },
    { onerror: (error: unknown) => options.logger?.error({ err: error }, 'mcp transport error') },
  );

  return async (request) => {
    const rejected = hostHeaderValidationResponse(request, hostnames) ?? originValidationResponse(request, origins);
    if (rejected) return rejected;
    if (request.method !== 'POST') {
      return jsonRpcError(405, 'Method not allowed: this MCP endpoint is stateless; POST JSON-RPC messages.', { allow: 'POST' });
    }
    const header = request.headers.get('authorization');
    const bearer = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    const auth = await options.core.authenticate(bearer, { organization: request.headers.get('zelto-organization') ?? undefined });
    if (!auth.ok)
      return jsonRpcError(auth.code === 'permission_denied' || auth.code === 'not_a_member' ? 403 : 401, auth.message, {
        'www-authenticate': 'Bearer',
      });
    if (auth.principal.kind === 'person') {
      return jsonRpcError(400, 'Choose an organization: use an org API key, or send Zelto-Organization with a session token.');
    }
    const principal = auth.principal;
    const authInfo: AuthInfo = {
      token: principal.kind === 'api_key' ? principal.keyId : principal.sessionId,
      clientId: principal.kind === 'api_key' ? principal.keyId : principal.userId,
      scopes: [principal.role],
      extra: { principal },
    };
    return handler.fetch(request, { authInfo });
  };
}
