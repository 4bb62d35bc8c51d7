import { inspectRoutes } from 'hono/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restHarness } from './test-support.js';

type Harness = Awaited<ReturnType<typeof restHarness>>;
interface Operation {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

describe('OpenAPI document', () => {
  let h: Harness;
  let doc: Doc;
  beforeAll(async () => {
    h = await restHarness();
    doc = (await h.call<Doc>('GET', '/openapi.json')).body;
  });
  afterAll(async () => {
    await h.t.close();
  });

  const documented = () =>
    new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));

  it('is OpenAPI 3.1 and describes every mounted route', () => {
    expect(doc.openapi).toBe('3.1.0');
    const mounted = inspectRoutes(h.app)
      .filter((r) => !r.isMiddleware)
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`)
      .filter((r) => r !== 'GET /openapi.json');
    expect(mounted.length).toBeGreaterThan(20);
    for (const route of mounted) expect(documented(), route).toContain(route);
  });

  it("covers SPEC's route table", () => {
    const spec = [
      'POST /v1/auth/signup',
      'POST /v1/auth/verify-email',
      'POST /v1/auth/login',
      'POST /v1/auth/logout',
      'GET /v1/me',
      'GET /v1/join/{token}',
      'POST /v1/join/{token}',
      'POST /v1/invitations/accept',
      'POST /v1/organizations',
      'GET /v1/organization',
      'PATCH /v1/organization',
      'PUT /v1/organization/logo',
      'DELETE /v1/organization/logo',
      'POST /v1/organization/transfer-ownership',
      'GET /v1/members',
      'GET /v1/members/{idOrEmail}',
      'PATCH /v1/members/{idOrEmail}',
      'DELETE /v1/members/{idOrEmail}',
      'GET /v1/invitations',
      'POST /v1/invitations',
      'DELETE /v1/invitations/{id}',
      'POST /v1/invitations/{id}/resend',
      'GET /v1/invite-link',
      'DELETE /v1/invite-link',
      'POST /v1/invite-link/regenerate',
      'GET /v1/api-keys',
      'POST /v1/api-keys',
      'DELETE /v1/api-keys/{id}',
      'GET /v1/audit-events',
      'GET /healthz',
      'GET /readyz',
    ];
    for (const route of spec) expect(documented(), route).toContain(route);
  });

  it('gives every operation an id, a summary, security, and problem+json errors', () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        expect(op.operationId, where).toBeTruthy();
        expect(ids.has(op.operationId as string), where).toBe(false);
        ids.add(op.operationId as string);
        expect(op.summary, where).toBeTruthy();
        expect(Array.isArray(op.security), where).toBe(true);
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) >= 400)
            expect(Object.keys(response.content ?? {}), `${where} ${status}`).toEqual(['application/problem+json']);
        }
        if ((op.security ?? []).length > 0) expect(op.responses['401'], where).toBeDefined();
      }
    }
  });
});
