/** Health, readiness and public logo images. */
import { z } from '@hono/zod-openapi';
import type { Core } from '@zelto/core';
import { problem } from '../problem.js';
import type { RouteSpec } from '../route.js';

export function systemRoutes(core: Core): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'Liveness: answers without touching the database',
      tag: 'system',
      auth: 'public',
      status: 200,
      response: z.object({ status: z.literal('ok') }),
      errors: [],
      handle: async () => ({ status: 'ok' as const }),
    },
    {
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      summary: 'Readiness: answers 200 when the database answers',
      tag: 'system',
      auth: 'public',
      status: 200,
      response: z.object({ status: z.literal('ready') }),
      errors: [503],
      async handle({ c }) {
        try {
          await core.ping();
          return { status: 'ready' as const };
        } catch {
          return problem(c, 503, 'not_ready', 'The database is not reachable.');
        }
      },
    },
    {
      method: 'get',
      path: '/logos/{orgId}/{version}',
      operationId: 'getLogo',
      summary: "An organization's logo image (public, for pages and emails)",
      tag: 'system',
      auth: 'public',
      params: z.object({ orgId: z.string(), version: z.string() }),
      status: 200,
      errors: [404],
      async handle({ c, params }) {
        const logo = await core.organizations.logo(params.orgId ?? '');
        if (!logo) return problem(c, 404, 'route_not_found', 'This organization has no logo.');
        // The version in the URL changes with the image: a matching URL can be cached for good.
        const current = logo.sha256.startsWith(params.version ?? '-');
        return c.body(Buffer.from(logo.bytes), 200, {
          'Content-Type': logo.contentType,
          'Cache-Control': current ? 'public, max-age=31536000, immutable' : 'no-cache',
          'Content-Security-Policy': "default-src 'none'",
        });
      },
    },
  ];
}
