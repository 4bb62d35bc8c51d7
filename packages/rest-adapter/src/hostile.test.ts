/**
 * Hostile input at every documented route: malformed, oversized and boundary values in the
 * path, the query and the body, with and without credentials. Never a 5xx, always a problem
 * document for a refusal, and a refused request changes nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgHarness } from './test-support.js';

type Harness = Awaited<ReturnType<typeof orgHarness>>;
type Doc = { paths: Record<string, Record<string, { security?: unknown[] }>> };

const TABLES = [
  'users',
  'sessions',
  'organizations',
  'memberships',
  'invitations',
  'invite_links',
  'api_keys',
  'audit_events',
  'domains',
  'usage_events',
  'grants',
  'quotas',
  'billing_accounts',
  'billing_portal_sessions',
] as const;

/** Strings an attacker or a broken client sends. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '../../etc/passwd',
    '%00',
    '\u0000',
    "'; drop table users; --",
    '<script>alert(1)</script>',
    'a'.repeat(5000),
    '𝕏'.repeat(300),
    'NaN',
    '-1',
    '1e309',
    'null',
    'me',
    'owner@acme.test',
    'usr_',
    'zlt_x_y',
  ),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -0, 1e308, 0.1 + 0.2),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(nasty, tie('value'), { maxKeys: 5 }),
  ),
})).value;
/** Bodies shaped like ours but wrong, and bodies that are nothing like ours. */
const body = fc.oneof(
  jsonValue,
  fc.record(
    {
      email: jsonValue,
      emails: fc.array(jsonValue, { maxLength: 3 }),
      role: fc.oneof(fc.constantFrom('member', 'admin', 'owner', 'root'), nasty),
      name: jsonValue,
      timezone: nasty,
      defaultLocale: nasty,
      domainJoin: jsonValue,
      slug: nasty,
      member: jsonValue,
      token: jsonValue,
      domain: jsonValue,
      password: jsonValue,
      code: jsonValue,
      events: fc.array(
        fc.record(
          { meter: jsonValue, quantity: jsonValue, idempotencyKey: jsonValue, occurredAt: jsonValue, source: jsonValue },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: [] },
  ),
);

describe('hostile input at every REST route', () => {
  let h: Harness;
  let routes: Array<{ method: string; path: string; secured: boolean }>;
  beforeAll(async () => {
    h = await orgHarness();
    await h.member('bo@acme.test', 'admin');
    const doc = (await h.call<Doc>('GET', '/openapi.json')).body;
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, secured: (op.security ?? []).length > 0 })),
    );
  });
  afterAll(async () => {
    await h.t.close();
  });

  const counts = () => h.t.counts(TABLES);

  it('never answers 5xx, always problem+json for a refusal, and a refusal changes nothing', async () => {
    expect(routes.length).toBeGreaterThan(35);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(nasty, { minLength: 3, maxLength: 3 }),
        fc.dictionary(
          fc.constantFrom('limit', 'cursor', 'role', 'query', 'joinedAfter', 'status', 'action', 'from', 'to', 'period', 'x'),
          nasty,
          {
            maxKeys: 4,
          },
        ),
        body,
        fc.constantFrom('owner', 'none', 'junk', 'session-no-org'),
        async (route, params, query, payload, who) => {
          let i = 0;
          const path = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++] ?? 'x') || 'x');
          const search = new URLSearchParams(query).toString();
          const token =
            who === 'owner'
              ? h.ownerKey
              : who === 'junk'
                ? 'zlt_AAAAAAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBCCCCCC'
                : who === 'session-no-org'
                  ? h.owner.token
                  : undefined;
          const before = await counts();
          const reply = await h.call(route.method, `${path}${search ? `?${search}` : ''}`, {
            token,
            ...(route.method === 'GET' || route.method === 'DELETE'
              ? {}
              : { raw: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
          });
          expect(reply.status, `${route.method} ${path} -> ${String(JSON.stringify(reply.body) ?? '').slice(0, 300)}`).toBeLessThan(500);
          if (reply.status >= 400) {
            expect(reply.headers.get('content-type')).toContain('application/problem+json');
            expect(typeof (reply.body as { code?: unknown }).code).toBe('string');
            // Sign-in and verification attempts are counted for rate limits; nothing else changes.
            expect(await counts(), `${route.method} ${path} changed state while refusing`).toEqual(before);
          }
        },
      ),
      { numRuns: 600 },
    );
  });

  it('survives bodies that are not JSON, or too large', async () => {
    for (const raw of ['{', '[1,2', '\u0000\u0001', 'null', '"just a string"', '9'.repeat(400), `{"a":${'['.repeat(5000)}`]) {
      const reply = await h.call('POST', '/v1/invitations', { token: h.ownerKey, raw, headers: { 'content-type': 'application/json' } });
      expect(reply.status, raw.slice(0, 20)).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
    }
    const huge = await h.call('POST', '/v1/usage/events', {
      token: h.ownerKey,
      raw: 'x'.repeat(3 * 1024 * 1024),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
  });
});
