import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mcpHarness } from './test-support.js';

type Harness = Awaited<ReturnType<typeof mcpHarness>>;

const listTools = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });

describe('the /mcp HTTP endpoint', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await mcpHarness();
  });
  afterEach(async () => {
    await h.t.close();
  });

  function post(headers: Record<string, string>, body = listTools, method = 'POST') {
    return h.handler(
      new Request('http://127.0.0.1:3000/mcp', {
        method,
        headers: { host: '127.0.0.1:3000', 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        ...(method === 'POST' ? { body } : {}),
      }),
    );
  }

  it('answers GET and DELETE with 405', async () => {
    const { ownerKey } = await h.org();
    for (const method of ['GET', 'DELETE']) {
      const response = await post({ authorization: `Bearer ${ownerKey}` }, '', method);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('refuses foreign Host and Origin headers (DNS rebinding)', async () => {
    const { ownerKey } = await h.org();
    expect((await post({ authorization: `Bearer ${ownerKey}`, host: 'evil.example' })).status).toBe(403);
    expect((await post({ authorization: `Bearer ${ownerKey}`, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ authorization: `Bearer ${ownerKey}`, origin: 'http://localhost:5173' })).status).toBe(200);
  });

  it('needs a valid bearer key, checked by the core on every request', async () => {
    const { ownerKey, ownerP, owner, org } = await h.org();
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: 'Bearer zlt_nope' })).status).toBe(401);
    const missing = await post({ authorization: `Bearer ${ownerKey}` });
    expect(missing.status).toBe(200);
    // A session token works with an organization chosen, not without.
    expect((await post({ authorization: `Bearer ${owner.token}` })).status).toBe(400);
    expect((await post({ authorization: `Bearer ${owner.token}`, 'zelto-organization': org.slug })).status).toBe(200);
    const key = await h.t.core.apiKeys.create(ownerP, { name: 'temp', role: 'member' });
    expect((await post({ authorization: `Bearer ${key.secret}` })).status).toBe(200);
    await h.t.core.apiKeys.delete(ownerP, { id: key.id });
    expect((await post({ authorization: `Bearer ${key.secret}` })).status).toBe(401);
  });
});

describe('resources and prompts', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await mcpHarness();
  });
  afterEach(async () => {
    await h.t.close();
  });

  it('serves the organization and its members as a resource', async () => {
    const { ownerKey, ownerP, org } = await h.org();
    await h.t.member(org.id, ownerP, 'bo@acme.test', 'admin');
    const { client } = await h.connect(ownerKey);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(['zelto://organization']);
    const read = await client.readResource({ uri: 'zelto://organization' });
    const body = JSON.parse((read.contents[0] as { text: string }).text) as {
      organization: { slug: string };
      members: Array<{ email: string }>;
    };
    expect(body.organization.slug).toBe('acme');
    expect(body.members.map((m) => m.email).sort()).toEqual(['bo@acme.test', 'owner@acme.test']);
  });

  it('offers an access review prompt to admins, filled with the facts', async () => {
    const { ownerKey, ownerP, org } = await h.org();
    await h.t.member(org.id, ownerP, 'bo@acme.test', 'admin');
    await h.t.core.invitations.invite(ownerP, { email: 'late@acme.test', role: 'admin' });
    const { client } = await h.connect(ownerKey);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['access_review']);
    const prompt = await client.getPrompt({ name: 'access_review', arguments: {} });
    const text = (prompt.messages[0]?.content as { text: string } | undefined)?.text ?? '';
    expect(text).toContain('bo <bo@acme.test>: admin');
    expect(text).toContain('late@acme.test: admin, pending');
    expect(text).toContain('owner key: owner key');
    const member = await h.t.core.apiKeys.create(ownerP, { name: 'm', role: 'member' });
    expect((await (await h.connect(member.secret)).client.listPrompts()).prompts).toEqual([]);
  });
});

describe('a conversation with an assistant', () => {
  it('invites three admins, finds one by email and removes them, rotates the link, and checks who is left', async () => {
    const h = await mcpHarness();
    try {
      const { ownerKey } = await h.org();
      const { client } = await h.connect(ownerKey, { era: 'modern', elicit: () => ({ action: 'accept', content: { confirm: true } }) });
      const call = async (name: string, args: Record<string, unknown> = {}) => {
        const result = await client.callTool({ name, arguments: args });
        if (result.isError) throw new Error((result.content as Array<{ text: string }>)[0]?.text);
        return result.structuredContent as Record<string, unknown>;
      };

      // "Invite ana, bo and cy as admins."
      const invited = await call('invite_members', { emails: ['ana@acme.test', 'bo@acme.test', 'cy@acme.test'], role: 'admin' });
      expect((invited.results as Array<{ outcome: string }>).map((r) => r.outcome)).toEqual(['invited', 'invited', 'invited']);
      // They accept their invitations.
      for (const email of ['ana@acme.test', 'bo@acme.test', 'cy@acme.test']) {
        const person = await h.t.person(email);
        const token = h.t.mailer.linkFor(email, 'invitation').split('/invitations/')[1] as string;
        await h.t.core.invitations.accept(await h.t.principal(person.token), { token });
      }
      // "Who joined? Find bo."
      const found = await call('list_members', { query: 'bo@acme.test' });
      expect((found.data as Array<{ email: string; role: string }>)[0]).toMatchObject({ email: 'bo@acme.test', role: 'admin' });
      // "Remove bo." (the person confirms when asked)
      await call('remove_member', { member: 'bo@acme.test' });
      // "Rotate the invite link."
      const before = await call('get_invite_link');
      const after = await call('regenerate_invite_link');
      expect(after.url).not.toBe(before.url);
      // "Who is left?"
      const left = await call('list_members', { limit: 100 });
      expect((left.data as Array<{ email: string }>).map((m) => m.email).sort()).toEqual([
        'ana@acme.test',
        'cy@acme.test',
        'owner@acme.test',
      ]);
      const audit = await call('list_audit_events', { action: 'member.removed' });
      expect((audit.data as Array<{ target: { label: string } }>).map((e) => e.target.label)).toEqual(['bo@acme.test']);
    } finally {
      await h.t.close();
    }
  });
});
