/** The organization's settings, logo and ownership. */
import { type Core, schemas as s } from '@zelto/core';
import type { RouteSpec } from '../route.js';

export function organizationRoutes(core: Core): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/v1/organization',
      operationId: 'getOrganization',
      summary: 'The organization and its settings',
      tag: 'organization',
      auth: 'org',
      status: 200,
      response: s.organizationSchema,
      errors: [400, 403],
      handle: ({ principal }) => core.organizations.get(principal),
    },
    {
      method: 'patch',
      path: '/v1/organization',
      operationId: 'updateOrganization',
      summary: 'Change name, timezone, default locale or domain join',
      description: 'The slug is read-only: sending it is an error (slug_read_only).',
      tag: 'organization',
      auth: 'org',
      body: s.updateOrganizationInput,
      status: 200,
      response: s.organizationSchema,
      errors: [403, 409],
      handle: ({ principal, body }) => core.organizations.update(principal, body),
    },
    {
      method: 'put',
      path: '/v1/organization/logo',
      operationId: 'setOrganizationLogo',
      summary: 'Upload the logo (PNG, JPEG or WebP, at most 1 MiB)',
      description: 'The image is checked by its content; SVG is refused.',
      tag: 'organization',
      auth: 'org',
      binaryBody: s.LOGO_TYPES,
      status: 200,
      response: s.organizationSchema,
      errors: [403, 413, 422],
      // The core decides the type from the bytes, whatever Content-Type claims.
      handle: async ({ principal, c }) => core.organizations.setLogo(principal, new Uint8Array(await c.req.arrayBuffer())),
    },
    {
      method: 'delete',
      path: '/v1/organization/logo',
      operationId: 'removeOrganizationLogo',
      summary: 'Remove the logo',
      tag: 'organization',
      auth: 'org',
      status: 200,
      response: s.organizationSchema,
      errors: [403],
      handle: ({ principal }) => core.organizations.removeLogo(principal),
    },
    {
      method: 'post',
      path: '/v1/organization/transfer-ownership',
      operationId: 'transferOwnership',
      summary: 'Make another member the owner (you become an admin)',
      tag: 'organization',
      auth: 'org',
      body: s.memberRefInput,
      status: 200,
      response: s.transferOwnershipResultSchema,
      errors: [403, 404, 409],
      handle: ({ principal, body }) => core.members.transferOwnership(principal, body),
    },
  ];
}
