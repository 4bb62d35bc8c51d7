/**
 * Security over HTTP, route by route: no credentials (401), a session without or with a
 * foreign organization (400/403), too low a role (403), another organization's objects (404),
 * a deleted key, a removed member's session and an expired session (401/403).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgHarness } from './test-support.js';

type Harness = Awaited<ReturnType<typeof orgHarness>>;
type Doc = { paths: Record<string, Record<string, { security?: unknown[]; parameters?: Array<{ in: string; name: string }> }>> };

const DAY = 24 * 60 * 60 * 1000;

describe('security of every route', () => {
  let h: Harness;
  let routes: Array<{ method: string; path: string; org: boolean }>;
  beforeAll(async () => {
    h = await orgHarness();
    const doc = (await h.call<Doc>('GET', '/openapi.json')).body;
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => (op.security ?? []).length > 0)
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          path: path.replace(/\{[^}]+\}/g, 'x@acme.test'),
          org: (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'zelto-organization'),
        })),
    );
  });
  afterAll(async () => {
    await h.t.close();
  });

  it('answers 401 problem+json to every protected route without credentials, or with junk', async () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      for (const token of [undefined, 'zlt_junk', 'zls_junk']) {
        const reply = await h.call(route.method, route.path, { token, ...(route.method === 'GET' ? {} : { body: {} }) });
        expect(reply.status, `${route.method} ${route.path} with ${token}`).toBe(401);
        expect(reply.headers.get('content-type')).toContain('application/problem+json');
      }
    }
  });

  it('asks a session to choose an organization on every org route, and refuses a foreign one', async () => {
    const { org: other } = await h.t.organization('Globex', 'owner@globex.test');
    for (const route of routes.filter((r) => r.org)) {
      const body = route.method === 'GET' ? {} : { body: {} };
      const missing = await h.call(route.method, route.path, { token: h.owner.token, ...body });
      expect(missing.body.code, `${route.method} ${route.path}`).toBe('organization_required');
      const foreign = await h.call(route.method, route.path, { token: h.owner.token, org: other.slug, ...body });
      expect(foreign.body.code, `${route.method} ${route.path}`).toBe('not_a_member');
    }
  });

  it('refuses members (session and key) on every admin route', async () => {
    const bo = await h.member('bo@acme.test');
    const key = await h.call<{ secret: string }>('POST', '/v1/api-keys', {
      token: h.ownerKey,
      body: { name: 'member key', role: 'member' },
    });
    const adminRoutes = [
      ['PATCH', '/v1/organization', { name: 'Mine' }],
      ['PUT', '/v1/organization/logo', undefined],
      ['DELETE', '/v1/organization/logo', undefined],
      ['POST', '/v1/organization/transfer-ownership', { member: 'owner@acme.test' }],
      ['PATCH', '/v1/members/owner@acme.test', { role: 'admin' }],
      ['DELETE', '/v1/members/owner@acme.test', undefined],
      ['GET', '/v1/invitations', undefined],
      ['POST', '/v1/invitations', { email: 'x@acme.test' }],
      ['DELETE', '/v1/invitations/inv_x', undefined],
      ['POST', '/v1/invitations/inv_x/resend', undefined],
      ['GET', '/v1/invite-link', undefined],
      ['DELETE', '/v1/invite-link', undefined],
      ['POST', '/v1/invite-link/regenerate', undefined],
      ['GET', '/v1/api-keys', undefined],
      ['POST', '/v1/api-keys', { name: 'x', role: 'member' }],
      ['DELETE', '/v1/api-keys/key_x', undefined],
      ['GET', '/v1/audit-events', undefined],
    ] as const;
    for (const [method, path, body] of adminRoutes) {
      for (const auth of [{ token: bo.token, org: 'acme' }, { token: key.body.secret }]) {
        const reply = await h.call(method, path, { ...auth, ...(body ? { body } : {}), ...(method === 'PUT' ? { raw: 'x' } : {}) });
        expect(reply.status, `${method} ${path}`).toBe(403);
        expect(reply.body.code).toBe('permission_denied');
      }
    }
    // Reads stay open to members.
    expect((await h.call('GET', '/v1/members', { token: key.body.secret })).status).toBe(200);
    expect((await h.call('GET', '/v1/organization', { token: bo.token, org: 'acme' })).status).toBe(200);
  });

  it("answers 404 for another organization's objects", async () => {
    const globex = await h.t.organization('Globex2', 'owner2@globex.test');
    const gp = await h.t.principal(globex.owner.token, globex.org.id);
    const globexKey = await h.t.core.apiKeys.create(gp, { name: 'g', role: 'member' });
    const { results } = await h.t.core.invitations.invite(gp, { email: 'g@globex.test' });
    const invitationId = results[0]?.invitation?.id;
    for (const [method, path] of [
      ['GET', `/v1/members/${globex.owner.userId}`],
      ['GET', '/v1/members/owner2@globex.test'],
      ['DELETE', `/v1/members/${globex.owner.userId}`],
      ['DELETE', `/v1/invitations/${invitationId}`],
      ['POST', `/v1/invitations/${invitationId}/resend`],
      ['DELETE', `/v1/api-keys/${globexKey.id}`],
    ] as const) {
      expect((await h.call(method, path, { token: h.ownerKey })).status, `${method} ${path}`).toBe(404);
    }
    expect((await h.call('GET', '/v1/organization', { token: globexKey.secret })).body).toMatchObject({ slug: 'globex2' });
  });

  it('refuses a deleted key, a removed member and an expired session on their next request', async () => {
    const key = await h.call<{ id: string; secret: string }>('POST', '/v1/api-keys', {
      token: h.ownerKey,
      body: { name: 'temp', role: 'admin' },
    });
    await h.call('DELETE', `/v1/api-keys/${key.body.id}`, { token: h.ownerKey });
    expect((await h.call('GET', '/v1/members', { token: key.body.secret })).status).toBe(401);
    const cy = await h.member('cy@acme.test', 'admin');
    await h.call('DELETE', '/v1/members/cy@acme.test', { token: h.ownerKey });
    expect(await h.call('GET', '/v1/members', { token: cy.token, org: 'acme' })).toMatchObject({
      status: 403,
      body: { code: 'not_a_member' },
    });
    const di = await h.member('di@acme.test');
    h.t.clock.advance(31 * DAY);
    expect(await h.call('GET', '/v1/members', { token: di.token, org: 'acme' })).toMatchObject({
      status: 401,
      body: { code: 'session_expired' },
    });
  });
});

describe('HTTP hygiene', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await orgHarness({
      routes: () => [
        {
          method: 'get',
          path: '/v1/boom',
          operationId: 'boom',
          summary: 'Fails on purpose',
          tag: 'test',
          auth: 'public',
          status: 200,
          errors: [],
          handle: async () => {
            throw new Error('select * from secrets where token = zls_supersecret');
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await h.t.close();
  });

  it('turns malformed JSON, unknown routes and oversized bodies into problems', async () => {
    const malformed = await h.call('POST', '/v1/api-keys', {
      token: h.ownerKey,
      raw: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'malformed_request' } });
    const empty = await h.call('POST', '/v1/api-keys', { token: h.ownerKey });
    expect(empty).toMatchObject({ status: 400, body: { code: 'malformed_request' } });
    const unknown = await h.call('GET', '/v1/nothing-here', { token: h.ownerKey });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'route_not_found' } });
    const huge = await h.call('POST', '/v1/invitations', { token: h.ownerKey, body: { emails: Array(20000).fill('someone@acme.test') } });
    expect(huge).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
  });

  it('answers crashes with a generic 500 that leaks nothing, with the request id', async () => {
    const reply = await h.call('GET', '/v1/boom', { headers: { 'x-request-id': 'req-123' } });
    expect(reply.status).toBe(500);
    expect(reply.body).toMatchObject({ code: 'internal_error', requestId: 'req-123' });
    expect(JSON.stringify(reply.body)).not.toMatch(/secret|select/);
    expect(reply.headers.get('x-request-id')).toBe('req-123');
  });

  it('sends security headers and a request id on every answer', async () => {
    const reply = await h.call('GET', '/healthz');
    expect(reply.body).toEqual({ status: 'ok' });
    expect(reply.headers.get('x-request-id')).toBeTruthy();
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await h.call('GET', '/readyz')).body).toEqual({ status: 'ready' });
  });
});
