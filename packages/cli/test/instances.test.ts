/**
 * Several `zelto serve` processes on one database (PostgreSQL, and one SQLite file): what one
 * instance changes, the other enforces on its very next request, and their invariants hold
 * together.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, sharedDatabase } from './backends.js';
import { cleanupsAfterEach, createAcme, type Served, serveZelto, zelto } from './zelto-process.js';

interface Setup {
  a: Served;
  b: Served;
  env: Record<string, string>;
  ownerKey: string;
}

describe.each(BACKENDS)('two instances on one %s database', (backend) => {
  const cleanups = cleanupsAfterEach(afterEach);

  async function setup(): Promise<Setup> {
    const db = await sharedDatabase(backend);
    cleanups.push(() => db.close());
    const { ownerKey } = await createAcme(db.env, 'owner@acme.test');
    const [a, b] = await Promise.all([serveZelto(db.env), serveZelto(db.env)]);
    cleanups.push(
      () => a?.stop(),
      () => b?.stop(),
    );
    return { a: a as Served, b: b as Served, env: db.env, ownerKey };
  }

  function api(server: Served, token: string, headers: Record<string, string> = {}) {
    return (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
  }

  /** A person who signs up on one instance, verifies, and joins by the invite link. */
  async function joinedMember(s: Setup, email: string, via: Served) {
    const post = (path: string, body: unknown) =>
      fetch(`${via.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post('/v1/auth/signup', { email, password: 'a long password', name: email.split('@')[0] });
    const outbox = JSON.parse((await zelto(['outbox', '--json', '--limit', '100'], s.env)).stdout) as Array<{ to: string; text: string }>;
    const code = /code is (\d{6})/.exec(outbox.find((m) => m.to === email)?.text ?? '')?.[1];
    const session = (await (await post('/v1/auth/verify-email', { email, code })).json()) as { token: string };
    const link = (await (await api(via, s.ownerKey)('GET', '/v1/invite-link')).json()) as { url: string };
    const joined = await fetch(`${via.url}/v1/join/${link.url.split('/join/')[1]}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(joined.status).toBe(200);
    return session.token;
  }

  it('refuses a key deleted through one instance on the next request to the other', async () => {
    const s = await setup();
    const minted = (await (await api(s.a, s.ownerKey)('POST', '/v1/api-keys', { name: 'temp', role: 'admin' })).json()) as {
      id: string;
      secret: string;
    };
    expect((await api(s.b, minted.secret)('GET', '/v1/members')).status).toBe(200);
    expect((await api(s.a, s.ownerKey)('DELETE', `/v1/api-keys/${minted.id}`)).status).toBe(200);
    expect((await api(s.b, minted.secret)('GET', '/v1/members')).status).toBe(401);
  });

  it('cuts off a member removed through one instance on their next request to the other', async () => {
    const s = await setup();
    const token = await joinedMember(s, 'bo@acme.test', s.b);
    const asBo = api(s.b, token, { 'zelto-organization': 'acme' });
    expect((await asBo('GET', '/v1/organization')).status).toBe(200);
    expect((await api(s.a, s.ownerKey)('DELETE', '/v1/members/bo@acme.test')).status).toBe(200);
    const refused = await asBo('GET', '/v1/organization');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('not_a_member');
  });

  it('never admits more than the hard limit when both instances ingest at once', async () => {
    const s = await setup();
    await zelto(['quota', 'set', '--org', 'acme', '--meter', 'calls_analyzed', '--monthly', '300'], s.env);
    const send = (server: Served, client: number, n: number) =>
      api(server, s.ownerKey)('POST', '/v1/usage/events', {
        events: Array.from({ length: 25 }, (_, i) => ({ meter: 'calls_analyzed', quantity: 1, idempotencyKey: `c${client}-${n}-${i}` })),
      });
    const results = await Promise.all(
      Array.from({ length: 6 }, async (_, client) => {
        let accepted = 0;
        for (let n = 0; n < 5; n++) {
          const response = await send(client % 2 ? s.a : s.b, client, n);
          const body = (await response.json()) as { accepted?: number };
          if (response.status === 200) accepted += body.accepted ?? 0;
          else expect(response.status).toBe(402);
        }
        return accepted;
      }),
    );
    expect(results.reduce((x, y) => x + y, 0)).toBe(300);
    const usage = (await (await api(s.a, s.ownerKey)('GET', '/v1/usage')).json()) as { meters: Array<{ used: number; remaining: number }> };
    expect(usage.meters[0]).toMatchObject({ used: 300, remaining: 0 });
  });

  it('leaves exactly one owner when transfers race through both instances', async () => {
    const s = await setup();
    const tokens = [];
    for (const email of ['c1@acme.test', 'c2@acme.test', 'c3@acme.test', 'c4@acme.test']) tokens.push(await joinedMember(s, email, s.a));
    expect(tokens).toHaveLength(4);
    const outcomes = await Promise.all(
      ['c1@acme.test', 'c2@acme.test', 'c3@acme.test', 'c4@acme.test'].map((email, i) =>
        api(i % 2 ? s.a : s.b, s.ownerKey)('POST', '/v1/organization/transfer-ownership', { member: email }).then((r) => r.status),
      ),
    );
    expect(outcomes.every((status) => status === 200 || status === 409)).toBe(true);
    const members = (await (await api(s.b, s.ownerKey)('GET', '/v1/members?limit=100')).json()) as { data: Array<{ role: string }> };
    expect(members.data.filter((m) => m.role === 'owner')).toHaveLength(1);
  });
});
