import type { Principal } from '@zelto/core';
import type { MiddlewareHandler } from 'hono';

/** What middleware puts on the request context. */
export interface RestEnv {
  Variables: {
    requestId: string;
    principal: Principal | undefined;
  };
}

/** The log interface the adapter needs (pino's shape). */
export interface Logger {
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/**
 * One log line per request, the same for REST and the pages: the path only (a query may hold
 * a token), the status, the time, and who was calling when authentication ran.
 */
export function logRequests(logger: Logger, surface: 'rest' | 'pages'): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const principal = (c.var as { principal?: Principal }).principal;
    logger.info(
      {
        requestId: (c.var as { requestId?: string }).requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        surface,
        ...(principal ? { principal: principal.kind === 'api_key' ? principal.keyId : principal.userId } : {}),
      },
      'request',
    );
  };
}
