import { afterEach, describe, expect, it } from 'vitest';
import { startDnsServer } from './dns-server.js';
import { cleanupsAfterEach, createAcme, serveZelto, tempDir, zelto } from './zelto-process.js';

describe('domain join through zelto serve, verified against a DNS server on loopback', () => {
  const cleanups = cleanupsAfterEach(afterEach);

  it('verifies a domain and lets colleagues in when they verify their email', async () => {
    const dns = await startDnsServer();
    cleanups.push(() => dns.close());
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const env = { ZELTO_DB: `${tmp.dir}/zelto.db`, ZELTO_DNS_SERVERS: dns.address };
    const { ownerKey } = await createAcme(env, 'owner@acme.test');
    const served = await serveZelto(env);
    cleanups.push(() => served.stop());
    const api = (method: string, path: string, body?: unknown, token = ownerKey) =>
      fetch(`${served.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    const added = (await (await api('POST', '/v1/domains', { domain: 'acme.test' })).json()) as { record: { name: string; value: string } };
    expect(added.record.name).toBe('_zelto-verification.acme.test');
    const missing = await api('POST', '/v1/domains/acme.test/verify');
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { detail: string }).detail).toContain('No TXT record was found');
    dns.set(added.record.name, ['something-else']);
    const wrong = (await (await api('POST', '/v1/domains/acme.test/verify')).json()) as { detail: string };
    expect(wrong.detail).toContain('"something-else"');
    dns.set(added.record.name, [added.record.value]);
    expect(await (await api('POST', '/v1/domains/acme.test/verify')).json()).toMatchObject({ status: 'verified' });
    expect((await api('PATCH', '/v1/organization', { domainJoin: true })).status).toBe(200);
    expect((await api('POST', '/v1/domains', { domain: 'gmail.com' })).status).toBe(422);

    // A colleague signs up and verifies their email: they are in, as a member.
    await fetch(`${served.url}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dee@acme.test', password: 'a long password', name: 'Dee' }),
    });
    const outbox = JSON.parse((await zelto(['outbox', '--json'], env)).stdout) as Array<{ to: string; text: string }>;
    const code = /code is (\d{6})/.exec(outbox.find((m) => m.to === 'dee@acme.test')?.text ?? '')?.[1];
    const session = await fetch(`${served.url}/v1/auth/verify-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dee@acme.test', code }),
    });
    expect(await session.json()).toMatchObject({ memberships: [{ role: 'member', organization: { slug: 'acme' } }] });
    const members = (await (await api('GET', '/v1/members/dee@acme.test')).json()) as { joinedVia: string };
    expect(members.joinedVia).toBe('domain');

    // Removing the domain stops new joins at once.
    expect((await api('DELETE', '/v1/domains/acme.test')).status).toBe(200);
    await fetch(`${served.url}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'eli@acme.test', password: 'a long password', name: 'Eli' }),
    });
    const outbox2 = JSON.parse((await zelto(['outbox', '--json'], env)).stdout) as Array<{ to: string; text: string }>;
    const code2 = /code is (\d{6})/.exec(outbox2.find((m) => m.to === 'eli@acme.test')?.text ?? '')?.[1];
    const eli = await fetch(`${served.url}/v1/auth/verify-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'eli@acme.test', code: code2 }),
    });
    expect(await eli.json()).toMatchObject({ memberships: [] });
  });
});
