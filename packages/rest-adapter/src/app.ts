/**
 * The REST adapter: maps HTTP to core calls and DomainErrors to problem+json. It holds no
 * business rules: validation, permissions and every decision live in @zelto/core.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { type Core, isDomainError } from '@zelto/core';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { type Logger, logRequests, type RestEnv, silentLogger } from './env.js';
import { domainProblem, problem } from './problem.js';
import { MalformedRequest, mount, type RouteSpec } from './route.js';
import { domainRoutes } from './routes/domains.js';
import { memberRoutes } from './routes/members.js';
import { organizationRoutes } from './routes/organization.js';
import { peopleRoutes } from './routes/people.js';
import { systemRoutes } from './routes/system.js';
import { usageRoutes } from './routes/usage.js';

export interface RestOptions {
  core: Core;
  logger?: Logger;
  /** Extra routes from other concepts (usage, domains, billing) added by the composition root. */
  routes?: (core: Core) => RouteSpec[];
  /**
   * The caller's address, for per-client rate limits. Defaults to the socket's address;
   * behind a proxy, pass a function that reads X-Forwarded-For.
   */
  clientIp?: (c: Context) => string | undefined;
  /** The public base URL, listed as the server in the OpenAPI document. */
  publicUrl?: string;
  version?: string;
}

export const JSON_BODY_LIMIT = 256 * 1024;
export const LARGE_BODY_LIMIT = 2 * 1024 * 1024;

/** The peer address of the socket: the client, unless a proxy is in front. */
export function socketAddress(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

/** Builds the Hono app: `/v1` routes, `/openapi.json`, `/healthz`, `/readyz`. */
export function createRestApp(options: RestOptions): OpenAPIHono<RestEnv> {
  const logger = options.logger ?? silentLogger;
  const app = new OpenAPIHono<RestEnv>();

  app.use('*', requestId());
  app.use('*', secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }));
  app.use('*', logRequests(logger, 'rest'));
  const tooLarge = (c: Context) => problem(c, 413, 'payload_too_large', 'The request body is too large.');
  // Batches and logos may be larger than ordinary JSON bodies; everything else is capped low.
  const largeBody = bodyLimit({ maxSize: LARGE_BODY_LIMIT, onError: tooLarge });
  const jsonBody = bodyLimit({ maxSize: JSON_BODY_LIMIT, onError: tooLarge });
  const takesLargeBodies = new Set(['/v1/usage/events', '/v1/organization/logo']);
  app.use('*', (c, next) => (takesLargeBodies.has(c.req.path) ? largeBody : jsonBody)(c, next));

  const deps = { core: options.core, clientIp: options.clientIp ?? socketAddress };
  const specs = [
    ...systemRoutes(options.core),
    ...peopleRoutes(options.core),
    ...organizationRoutes(options.core),
    ...memberRoutes(options.core),
    ...usageRoutes(options.core),
    ...domainRoutes(options.core),
    ...(options.routes?.(options.core) ?? []),
  ];
  for (const spec of specs) mount(app, deps, spec);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An organization API key (zlt_...), or a session token (zls_...) from sign-in. With a session, choose the organization with the Zelto-Organization header.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Zelto workspace platform API',
      version: options.version ?? '0.1.0',
      description:
        'Members, roles, invitations, the invite link, domains, API keys, usage and billing. Errors are RFC 9457 problem details with a stable `code`.',
      license: { name: 'Proprietary', url: 'https://zelto.example/terms' },
    },
    servers: [{ url: options.publicUrl ?? 'http://127.0.0.1:3000' }],
    security: [{ bearerAuth: [] }],
  });

  app.notFound((c) => problem(c, 404, 'route_not_found', `No route for ${c.req.method} ${c.req.path}. See /openapi.json.`));
  app.onError((error, c) => {
    if (isDomainError(error)) return domainProblem(c, error);
    if (error instanceof HTTPException) {
      const status = error.status;
      if (status === 413) return tooLarge(c);
      if (status === 415) return problem(c, 415, 'unsupported_media_type', 'Send JSON with Content-Type: application/json.');
      return problem(c, 400, 'malformed_request', error.message || 'The request could not be read. Send valid JSON.');
    }
    if (error instanceof MalformedRequest) return problem(c, 400, 'malformed_request', error.message);
    logger.error({ requestId: c.get('requestId'), err: error }, 'unhandled error');
    return problem(c, 500, 'internal_error', 'Something went wrong on our side. Try again; if it persists, quote the request id.');
  });
  return app;
}
