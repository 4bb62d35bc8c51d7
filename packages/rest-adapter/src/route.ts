/**
 * Declares a route once: its OpenAPI description (from the core's zod schemas), its
 * authentication, and a handler that maps the request to one core call. Every mounted route
 * goes through here, so every route is documented and authenticated the same way.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, type Principal, refusalError } from '@zelto/core';
import type { Context } from 'hono';
import type { RestEnv } from './env.js';
import { problemSchema } from './problem.js';

export type AuthMode = 'org' | 'person' | 'public';

export interface HandlerInput {
  c: Context<RestEnv>;
  /** The caller (for 'public' routes: never set, do not use). */
  principal: Principal;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  client: { ip?: string | undefined };
}

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI style: `/v1/members/{idOrEmail}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  auth: AuthMode;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Media types of a raw binary body (read with arrayBuffer, checked by the core). */
  binaryBody?: readonly string[];
  status: 200 | 201 | 202 | 204;
  /** Other success statuses the handler may answer with. */
  alsoStatus?: ReadonlyArray<200 | 201>;
  response?: z.ZodType;
  errors: readonly number[];
  handle(input: HandlerInput): Promise<unknown>;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request, or an organization must be chosen',
  401: 'Missing, invalid or expired credentials',
  402: 'Quota spent and no payment method on file',
  403: 'Authenticated, but not allowed',
  404: 'Not found (also: an object of another organization)',
  409: 'Conflicts with the current state',
  410: 'Gone: expired or revoked',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Invalid input: every failing field is listed',
  429: 'Too many attempts: wait and retry',
  502: 'An upstream service (email, billing) failed',
};

const SUCCESS_DESCRIPTIONS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };

export const organizationHeader = z.object({
  'zelto-organization': z
    .string()
    .optional()
    .meta({ description: 'With a session token: the organization to act in (id or slug). Not needed with an API key.' }),
});

const problemResponse = (status: number) => ({
  description: ERROR_DESCRIPTIONS[status] ?? 'Error',
  content: { 'application/problem+json': { schema: problemSchema } },
});

function bearerOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** The JSON body; an empty or malformed one is a 400 the caller can act on. */
async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw new MalformedRequest('The request needs a JSON body.');
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedRequest('The request body is not valid JSON.');
  }
}

export class MalformedRequest extends Error {
  override readonly name = 'MalformedRequest';
}

export interface RouteDeps {
  core: Core;
  clientIp(c: Context): string | undefined;
}

export function mount(app: OpenAPIHono<RestEnv>, deps: RouteDeps, spec: RouteSpec): void {
  const responses: Record<string, unknown> = {};
  for (const status of [spec.status, ...(spec.alsoStatus ?? [])]) {
    responses[String(status)] = spec.response
      ? { description: SUCCESS_DESCRIPTIONS[status], content: { 'application/json': { schema: spec.response } } }
      : { description: SUCCESS_DESCRIPTIONS[status] };
  }
  const errors = new Set<number>([...spec.errors, ...(spec.auth === 'public' ? [] : [401]), ...(spec.body ? [400, 422] : [])]);
  for (const status of [...errors].sort()) responses[String(status)] = problemResponse(status);

  const body = spec.body
    ? { required: true, content: { 'application/json': { schema: spec.body } } }
    : spec.binaryBody
      ? {
          required: true,
          content: Object.fromEntries(
            spec.binaryBody.map((type) => [type, { schema: z.string().meta({ format: 'binary', contentMediaType: type }) }]),
          ),
        }
      : undefined;

  const route = createRoute({
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    security: spec.auth === 'public' ? [] : [{ bearerAuth: [] }],
    request: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.auth === 'org' ? { headers: organizationHeader } : {}),
      ...(body ? { body } : {}),
    },
    responses: responses as never,
  });

  // The schemas describe the route; the core alone validates input, so REST and MCP give the
  // same errors and a core rule (slug_read_only, say) is never pre-empted by a generic check.
  app.openAPIRegistry.registerPath(route);
  const honoPath = spec.path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
  app.on(spec.method.toUpperCase(), honoPath, async (c: Context<RestEnv>) => {
    let principal: Principal | undefined;
    if (spec.auth !== 'public') {
      const organization = spec.auth === 'org' ? c.req.header('zelto-organization') : undefined;
      const result = await deps.core.authenticate(bearerOf(c), { organization });
      if (!result.ok) throw refusalError(result);
      principal = result.principal;
      c.set('principal', principal);
    }
    const out = await spec.handle({
      c,
      principal: principal as Principal,
      params: c.req.param() as Record<string, string>,
      query: c.req.query(),
      body: spec.body ? await readJson(c) : undefined,
      client: { ip: deps.clientIp(c) },
    });
    if (out instanceof Response) return out;
    if (spec.status === 204) return c.body(null, 204);
    return c.json(out as object, spec.status);
  });
}
