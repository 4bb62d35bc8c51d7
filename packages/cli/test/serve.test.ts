import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfterEach, type Served, serveZelto, tempDir, zelto } from './zelto-process.js';

describe('zelto serve (the real process)', () => {
  const cleanups = cleanupsAfterEach(afterEach);

  async function start(
    extraEnv: Record<string, string> = {},
    args: string[] = [],
  ): Promise<{ served: Served; dir: string; env: Record<string, string> }> {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const env = { ZELTO_DB: `${tmp.dir}/zelto.db`, ...extraEnv };
    const served = await serveZelto(env, args);
    cleanups.push(() => served.stop());
    return { served, dir: tmp.dir, env };
  }

  it('bootstraps an empty database once: owner key, invite link and MCP configuration', async () => {
    const { served, env } = await start({}, ['--bootstrap']);
    const out = served.output();
    const key = /Owner API key[^\n]*\n\s+(zlt_\S+)/.exec(out)?.[1] as string;
    expect(key).toMatch(/^zlt_/);
    expect(out).toMatch(/Invite link[^\n]*\n\s+http:\/\/127\.0\.0\.1:\d+\/join\/\w+/);
    expect(out).toContain('"mcpServers"');
    const members = await fetch(`${served.url}/v1/members`, { headers: { authorization: `Bearer ${key}` } });
    expect(members.status).toBe(200);
    expect(await members.json()).toMatchObject({ data: [{ role: 'owner', email: 'owner@example.com' }] });
    expect(await served.stop()).toBe(0);
    // A second start finds the organization and prints no key.
    const again = await serveZelto(env, ['--bootstrap']);
    cleanups.push(() => again.stop());
    expect(again.output()).not.toContain('Owner API key');
  });

  it('opens the printed invite link as a page naming the organization, beside REST on the same port', async () => {
    const { served } = await start({ ZELTO_BOOTSTRAP_ORG: 'Acme & Co' }, ['--bootstrap']);
    const link = /Invite link[^\n]*\n\s+(http\S+)/.exec(served.output())?.[1] as string;
    const path = new URL(link).pathname;
    expect(path).toMatch(/^\/join\/\w+$/);
    const page = await fetch(`${served.url}${path}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const text = await page.text();
    expect(text).toContain('<h1>Join Acme &amp; Co</h1>');
    const stylesheet = /href="(\/assets\/pages\.css\?v=\w+)"/.exec(text)?.[1] as string;
    expect((await fetch(`${served.url}${stylesheet}`)).headers.get('content-type')).toContain('text/css');
    // The pages own /join/ and /invitations/; REST keeps /v1/... (including /v1/invitations).
    const unknownLink = await fetch(`${served.url}/join/not-a-token`);
    expect(unknownLink.status).toBe(404);
    expect(unknownLink.headers.get('content-type')).toContain('text/html');
    const api = await fetch(`${served.url}/v1/invitations`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const preview = await fetch(`${served.url}/v1${path}`);
    expect(await preview.json()).toMatchObject({ organization: { name: 'Acme & Co' } });
    expect((await fetch(`${served.url}/verify-email`)).headers.get('content-type')).toContain('text/html');
  });

  it('answers health, readiness, the OpenAPI document and problem+json 404s', async () => {
    const { served } = await start();
    expect(await (await fetch(`${served.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${served.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const doc = (await (await fetch(`${served.url}/openapi.json`)).json()) as { openapi: string };
    expect(doc.openapi).toBe('3.1.0');
    const missing = await fetch(`${served.url}/v2/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('finishes an in-flight request on SIGTERM, closes the database, then exits 0', async () => {
    const { served, dir } = await start();
    // Sign-up hashes a password with bcrypt (cost 10): long enough to be in flight.
    const inFlight = fetch(`${served.url}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'slow@acme.test', password: 'a long password', name: 'Slow' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const exit = served.stop('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(202);
    expect(await exit).toBe(0);
    expect(served.output()).toContain('shutting down');
    // The database was closed cleanly: SQLite checkpointed and removed its write-ahead log.
    expect(existsSync(`${dir}/zelto.db`)).toBe(true);
    expect(existsSync(`${dir}/zelto.db-wal`)).toBe(false);
  });

  it('serves keys minted by the operator commands, until they are deleted', async () => {
    const { served, env } = await start();
    const created = await zelto(['org', 'create', '--name', 'Acme', '--owner-email', 'ana@acme.test', '--json'], env);
    expect(created.code).toBe(0);
    const body = JSON.parse(created.stdout) as { organization: { slug: string }; owner: { email: string }; apiKey: { secret: string } };
    expect(body.organization.slug).toBe('acme');
    expect(body.owner.email).toBe('ana@acme.test');
    const minted = await zelto(['keys', 'create', '--org', 'acme', '--name', 'ci', '--role', 'member', '--json'], env);
    const key = JSON.parse(minted.stdout) as { id: string; secret: string };
    const asMember = await fetch(`${served.url}/v1/organization`, { headers: { authorization: `Bearer ${key.secret}` } });
    expect(await asMember.json()).toMatchObject({ slug: 'acme' });
    const deleted = await fetch(`${served.url}/v1/api-keys/${key.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${body.apiKey.secret}` },
    });
    expect(deleted.status).toBe(200);
    expect((await fetch(`${served.url}/v1/organization`, { headers: { authorization: `Bearer ${key.secret}` } })).status).toBe(401);
  });
});

describe('zelto commands', () => {
  it('explain themselves, refuse bad flags with exit 2 and domain errors with exit 1', async () => {
    const tmp = tempDir();
    const env = { ZELTO_DB: `${tmp.dir}/zelto.db` };
    try {
      const help = await zelto(['--help'], env);
      expect(help.stdout).toContain('org create');
      expect((await zelto(['org', 'create', '--help'], env)).stdout).toContain('--owner-email');
      expect((await zelto(['org', 'create', '--name', 'X', '--bogus'], env)).code).toBe(2);
      expect((await zelto(['org', 'create', '--name', 'X'], env)).stderr).toContain('--owner-email is required');
      const noOrg = await zelto(['keys', 'create', '--org', 'nope', '--name', 'k', '--role', 'admin'], env);
      expect(noOrg.code).toBe(1);
      expect(noOrg.stderr).toContain('organization_not_found');
      const badEmail = await zelto(['org', 'create', '--name', 'X', '--owner-email', 'nope'], env);
      expect(badEmail.code).toBe(1);
      expect(badEmail.stderr).toContain('ownerEmail');
      expect((await zelto(['frobnicate'], env)).code).toBe(2);
    } finally {
      tmp.cleanup();
    }
  });
});
