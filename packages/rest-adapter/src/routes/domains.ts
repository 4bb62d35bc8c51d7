/** Verified domains for domain join. */
import { z } from '@hono/zod-openapi';
import { type Core, schemas as s } from '@zelto/core';
import type { RouteSpec } from '../route.js';

const domainParam = z.object({ domain: z.string().meta({ description: 'The domain, e.g. acme.com.' }) });

export function domainRoutes(core: Core): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/v1/domains',
      operationId: 'listDomains',
      summary: "The organization's domains, with status and the TXT record to publish",
      tag: 'domains',
      auth: 'org',
      status: 200,
      response: s.domainListSchema,
      errors: [400, 403],
      handle: ({ principal }) => core.domains.list(principal),
    },
    {
      method: 'post',
      path: '/v1/domains',
      operationId: 'addDomain',
      summary: 'Add a domain to verify (public mail providers and disposable domains are refused)',
      tag: 'domains',
      auth: 'org',
      body: s.domainInput,
      status: 201,
      response: s.domainSchema,
      errors: [403, 409],
      handle: ({ principal, body }) => core.domains.add(principal, body),
    },
    {
      method: 'post',
      path: '/v1/domains/{domain}/verify',
      operationId: 'verifyDomain',
      summary: 'Check the TXT record through DNS and mark the domain verified',
      description: 'On failure, the problem says exactly what DNS held instead.',
      tag: 'domains',
      auth: 'org',
      params: domainParam,
      status: 200,
      response: s.domainSchema,
      errors: [400, 403, 404, 409, 422],
      handle: ({ principal, params }) => core.domains.verify(principal, { domain: params.domain }),
    },
    {
      method: 'delete',
      path: '/v1/domains/{domain}',
      operationId: 'removeDomain',
      summary: 'Remove a domain: people on it stop joining at once',
      tag: 'domains',
      auth: 'org',
      params: domainParam,
      status: 200,
      response: z.object({ removed: s.domainSchema }),
      errors: [400, 403, 404, 422],
      handle: ({ principal, params }) => core.domains.remove(principal, { domain: params.domain }),
    },
  ];
}
