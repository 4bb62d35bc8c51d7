/**
 * `zelto serve`: the REST API, the MCP endpoint and the pages on one port. Each is its own
 * app with its own middleware; a path prefix picks which one answers.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createMcpHttpHandler } from '@zelto/mcp-server';
import { createPagesApp, createRestApp, isPagePath } from '@zelto/rest-adapter';
import type { Context } from 'hono';
import type { Runtime } from './runtime.js';

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish, flushes and closes the database. */
  close(): Promise<void>;
}

type FetchHandler = (request: Request, env: unknown) => Response | Promise<Response>;

export function clientAddress(trustProxy: boolean) {
  return (c: Context): string | undefined => {
    if (trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  };
}

/** The pages for people (`/join/...`, `/invitations/...`, `/verify-email`) exactly as `serve` mounts them. */
export function buildPagesApp(runtime: Pick<Runtime, 'core' | 'logger' | 'config'>) {
  const { core, logger, config } = runtime;
  return createPagesApp({ core, logger, clientIp: clientAddress(config.trustProxy), publicUrl: config.publicUrl });
}

/** The REST app exactly as `serve` mounts it (also what `zelto openapi` describes). */
export function buildRestApp(runtime: Pick<Runtime, 'core' | 'logger' | 'config'>) {
  const { core, logger, config } = runtime;
  return createRestApp({ core, logger, clientIp: clientAddress(config.trustProxy), publicUrl: config.publicUrl });
}

export async function startServer(
  runtime: Runtime,
  options: { port: number; host: string; extra?: Array<{ matches(path: string): boolean; fetch: FetchHandler }> },
): Promise<RunningServer> {
  const { core, logger, config } = runtime;
  const rest = buildRestApp(runtime);
  const mcp = createMcpHttpHandler({
    core,
    logger,
    allowedHostnames: [new URL(config.publicUrl).hostname, ...(options.host === '0.0.0.0' || options.host === '::' ? [] : [options.host])],
    allowedOrigins: [new URL(config.publicUrl).hostname, ...config.mcpAllowedOrigins],
  });
  const pages = buildPagesApp(runtime);
  // First match wins; everything else (/v1, /openapi.json, /logos, health) is the REST app's.
  const extra = [
    { matches: (path: string) => path === '/mcp', fetch: (request: Request) => mcp(request) },
    { matches: isPagePath, fetch: (request: Request, env: unknown) => pages.fetch(request, env as never) },
    ...(options.extra ?? []),
  ];
  const fetch: FetchHandler = (request, env) => {
    const path = new URL(request.url).pathname;
    for (const app of extra) if (app.matches(path)) return app.fetch(request, env);
    return rest.fetch(request, env as never);
  };

  const server = serve({ fetch, port: options.port, hostname: options.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  // lastUsedAt is kept in memory and written in batches, never on the request path.
  const flush = setInterval(() => {
    core.apiKeys.flushLastUsed().catch((error: unknown) => logger.warn({ err: error }, 'could not flush key usage'));
  }, 15_000);
  flush.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        clearInterval(flush);
        await new Promise<void>((resolve) => {
          // Idle keep-alive sockets would hold close() open; busy ones finish their request
          // first and are closed as soon as they go idle.
          const http = server as unknown as { closeIdleConnections(): void };
          const sweep = setInterval(() => http.closeIdleConnections(), 50);
          server.close(() => {
            clearInterval(sweep);
            resolve();
          });
          http.closeIdleConnections();
        });
        await runtime.close();
      })();
      return closing;
    },
  };
}
