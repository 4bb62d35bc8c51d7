import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Era, mcpHarness, structured, textOf } from './test-support.js';

type Harness = Awaited<ReturnType<typeof mcpHarness>>;

const ALL_TOOLS = [
  'get_organization',
  'update_organization',
  'list_members',
  'change_member_role',
  'remove_member',
  'transfer_ownership',
  'invite_members',
  'list_invitations',
  'resend_invitation',
  'revoke_invitation',
  'get_invite_link',
  'regenerate_invite_link',
  'revoke_invite_link',
  'list_domains',
  'add_domain',
  'verify_domain',
  'remove_domain',
  'list_api_keys',
  'create_api_key',
  'delete_api_key',
  'record_usage',
  'get_usage',
  'get_daily_usage',
  'open_billing_portal',
  'list_audit_events',
];

describe.each<Era>(['legacy', 'modern'])('MCP tools (%s protocol)', (era) => {
  let h: Harness;
  beforeEach(async () => {
    h = await mcpHarness();
  });
  afterEach(async () => {
    await h.t.close();
  });

  it('lists only what each role may do, within the size budget', async () => {
    const { org, ownerP, ownerKey } = await h.org();
    const admin = await h.t.core.apiKeys.create(ownerP, { name: 'admin key', role: 'admin' });
    const member = await h.t.core.apiKeys.create(ownerP, { name: 'member key', role: 'member' });
    const names = async (token: string) => (await (await h.connect(token, { era })).client.listTools()).tools.map((t) => t.name).sort();
    expect(await names(ownerKey)).toEqual([...ALL_TOOLS].sort());
    expect(await names(admin.secret)).toEqual(ALL_TOOLS.filter((n) => n !== 'transfer_ownership').sort());
    expect(await names(member.secret)).toEqual(['get_organization', 'list_members', 'record_usage']);
    const ownerList = await (await h.connect(ownerKey, { era })).client.listTools();
    const size = JSON.stringify(ownerList).length;
    console.info(`tools/list for an owner (${era}): ${ownerList.tools.length} tools, ${size} characters`);
    expect(size).toBeLessThanOrEqual(16_000);
    expect(org.id).toBeTruthy();
  });

  it('describes every tool with a title, schemas and all four annotations', async () => {
    const { ownerKey } = await h.org();
    const { tools } = await (await h.connect(ownerKey, { era })).client.listTools();
    for (const tool of tools) {
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description?.length, tool.name).toBeGreaterThan(20);
      expect(tool.description?.length, tool.name).toBeLessThan(200);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(tool.annotations).toMatchObject({
        readOnlyHint: expect.any(Boolean),
        destructiveHint: expect.any(Boolean),
        idempotentHint: expect.any(Boolean),
        openWorldHint: false,
      });
      if (tool.annotations?.readOnlyHint) expect(tool.annotations.destructiveHint, tool.name).toBe(false);
    }
  });

  it('runs every tool and answers with structured content and readable text', async () => {
    const { ownerKey, ownerP, org } = await h.org();
    await h.t.member(org.id, ownerP, 'bo@acme.test');
    const { client } = await h.connect(ownerKey, { era });
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const result = await client.callTool({ name, arguments: args });
      const data = structured(result);
      expect(textOf(result).length, name).toBeGreaterThan(0);
      return { data, text: textOf(result) };
    };
    expect((await call('get_organization')).data).toMatchObject({ slug: 'acme' });
    expect((await call('update_organization', { timezone: 'Europe/Paris' })).data).toMatchObject({ timezone: 'Europe/Paris' });
    const members = await call('list_members', { query: 'bo@' });
    expect(members.text).toContain('bo@acme.test');
    expect((await call('change_member_role', { member: 'bo@acme.test', role: 'admin' })).data).toMatchObject({ role: 'admin' });
    const invited = await call('invite_members', { emails: ['a@acme.test', 'b@acme.test'], role: 'member' });
    expect(invited.text).toContain('Invited a@acme.test as member.');
    const list = await call('list_invitations', { status: 'pending' });
    const id = (list.data.data as Array<{ id: string; email: string }>).find((i) => i.email === 'a@acme.test')?.id;
    expect((await call('resend_invitation', { id })).data).toMatchObject({ status: 'pending' });
    expect((await call('revoke_invitation', { id, confirm: true })).data).toMatchObject({ status: 'revoked' });
    expect((await call('get_invite_link')).data).toMatchObject({ status: 'active' });
    expect((await call('regenerate_invite_link', { confirm: true })).data).toMatchObject({ status: 'active' });
    expect((await call('revoke_invite_link', { confirm: true })).data).toMatchObject({ status: 'revoked' });
    const key = await call('create_api_key', { name: 'ci', role: 'member' });
    expect(key.text).toContain('Secret (shown only now): zlt_');
    expect((await call('list_api_keys')).text).toContain('ci: member key');
    expect((await call('delete_api_key', { id: key.data.id, confirm: true })).data).toMatchObject({ deleted: { id: key.data.id } });
    expect((await call('list_audit_events', { limit: 5 })).text).toContain('api_key.deleted');
    const domain = await call('add_domain', { domain: 'acme.test' });
    expect(domain.text).toContain('Publish a TXT record named _zelto-verification.acme.test');
    const failed = await client.callTool({ name: 'verify_domain', arguments: { domain: 'acme.test' } });
    expect(textOf(failed)).toContain('No TXT record was found');
    h.t.dns.set('_zelto-verification.acme.test', [(domain.data.record as { value: string }).value]);
    expect((await call('verify_domain', { domain: 'acme.test' })).data).toMatchObject({ status: 'verified' });
    expect((await call('list_domains')).text).toContain('acme.test: verified');
    expect((await call('update_organization', { domainJoin: true })).data).toMatchObject({ domainJoin: true });
    expect((await call('remove_domain', { domain: 'acme.test', confirm: true })).text).toBe('Removed acme.test.');
    expect((await call('get_usage')).text).toContain('calls_analyzed: 0 calls used of 100 quota');
    expect((await call('get_daily_usage', { from: '2026-01-10', to: '2026-01-15' })).data).toMatchObject({ timezone: 'Europe/Paris' });
    expect((await call('open_billing_portal')).text).toMatch(
      /Billing portal \(works once, until .*\): http:\/\/zelto\.test\/billing\/portal\//,
    );
    const removed = await call('remove_member', { member: 'bo@acme.test', confirm: true });
    expect(removed.text).toContain('Removed bo@acme.test');
    const moved = await call('transfer_ownership', { member: 'owner@acme.test', confirm: true }).catch((e: Error) => e);
    expect(moved).toBeInstanceOf(Error);
  });

  it('answers failures as isError results that say what to do, and the session carries on', async () => {
    const { ownerKey, ownerP } = await h.org();
    const admin = await h.t.core.apiKeys.create(ownerP, { name: 'admin key', role: 'admin' });
    const { client } = await h.connect(admin.secret, { era });
    const removeOwner = await client.callTool({ name: 'remove_member', arguments: { member: 'owner@acme.test', confirm: true } });
    expect(removeOwner.isError).toBe(true);
    expect(textOf(removeOwner)).toContain('owner@acme.test is the owner and cannot be removed. The owner must transfer ownership first.');
    const ownerKeyTry = await client.callTool({ name: 'create_api_key', arguments: { name: 'x', role: 'owner' } });
    expect(textOf(ownerKeyTry)).toContain('at most your own (admin)');
    const badEmail = await client.callTool({ name: 'invite_members', arguments: { emails: ['fine@acme.test', 'nope'] } });
    expect(badEmail.isError).toBe(true);
    expect(textOf(badEmail)).toMatch(/emails.1/);
    const slug = await client.callTool({ name: 'update_organization', arguments: { slug: 'mine' } });
    expect(textOf(slug)).toContain('slug is read-only');
    const ghost = await client.callTool({ name: 'remove_member', arguments: { member: 'ghost@acme.test' } });
    expect(textOf(ghost)).toContain('is not a member');
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow();
    await expect(client.callTool({ name: 'transfer_ownership', arguments: { member: 'x@acme.test' } })).rejects.toThrow();
    // Still usable after all of that.
    expect((await client.listTools()).tools.length).toBeGreaterThan(10);
    expect(structured(await client.callTool({ name: 'get_organization', arguments: {} }))).toMatchObject({ slug: 'acme' });
    expect(ownerKey).toBeTruthy();
  });

  it('refuses a deleted key on the next call', async () => {
    const { ownerP } = await h.org();
    const key = await h.t.core.apiKeys.create(ownerP, { name: 'temp', role: 'admin' });
    const { client } = await h.connect(key.secret, { era });
    await client.callTool({ name: 'get_organization', arguments: {} });
    await h.t.core.apiKeys.delete(ownerP, { id: key.id });
    await expect(client.callTool({ name: 'get_organization', arguments: {} })).rejects.toThrow();
  });
});

describe('confirmation of destructive tools', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await mcpHarness();
  });
  afterEach(async () => {
    await h.t.close();
  });

  it('asks the person through elicitation (2026-07-28) and acts only on yes', async () => {
    const { ownerKey, ownerP, org } = await h.org();
    await h.t.member(org.id, ownerP, 'bo@acme.test');
    await h.t.member(org.id, ownerP, 'cy@acme.test');
    const yes = await h.connect(ownerKey, { era: 'modern', elicit: () => ({ action: 'accept', content: { confirm: true } }) });
    const removed = await yes.client.callTool({ name: 'remove_member', arguments: { member: 'bo@acme.test' } });
    expect(textOf(removed)).toContain('Removed bo@acme.test');
    expect(yes.asked).toEqual([expect.stringContaining('Remove bo <bo@acme.test> (member)')]);

    const no = await h.connect(ownerKey, { era: 'modern', elicit: () => ({ action: 'decline' }) });
    const declined = await no.client.callTool({ name: 'remove_member', arguments: { member: 'cy@acme.test' } });
    expect(declined.isError).toBe(true);
    expect(textOf(declined)).toContain('declined. Nothing changed');
    const saidNo = await h.connect(ownerKey, { era: 'modern', elicit: () => ({ action: 'accept', content: { confirm: false } }) });
    expect(textOf(await saidNo.client.callTool({ name: 'revoke_invite_link', arguments: {} }))).toContain('did not confirm');
    const members = await h.t.core.members.list(ownerP);
    expect(members.data.map((m) => m.email)).toContain('cy@acme.test');
    expect((await h.t.core.inviteLink.get(ownerP)).status).toBe('active');
  });

  it('stays usable without elicitation: it asks for confirm: true', async () => {
    const { ownerKey, ownerP, org } = await h.org();
    await h.t.member(org.id, ownerP, 'bo@acme.test');
    for (const era of ['legacy', 'modern'] as const) {
      const { client } = await h.connect(ownerKey, { era });
      const asked = await client.callTool({ name: 'delete_api_key', arguments: { id: 'key_whatever' } });
      expect(asked.isError).toBe(true);
      expect(textOf(asked)).toContain('call delete_api_key again with confirm: true');
    }
    const { client } = await h.connect(ownerKey, { era: 'legacy' });
    const first = await client.callTool({ name: 'remove_member', arguments: { member: 'bo@acme.test' } });
    expect(textOf(first)).toContain('Remove bo <bo@acme.test>');
    expect((await h.t.core.members.list(ownerP)).data).toHaveLength(2);
    const confirmed = await client.callTool({ name: 'remove_member', arguments: { member: 'bo@acme.test', confirm: true } });
    expect(textOf(confirmed)).toContain('Removed bo@acme.test');
  });
});

describe('usage over MCP', () => {
  it('refuses spent quota as an isError result carrying the billing portal link', async () => {
    const h = await mcpHarness();
    try {
      const { ownerKey, org } = await h.org();
      await h.t.core.operator.setQuota(org.slug, { meter: 'calls_analyzed', monthly: 1 });
      const { client } = await h.connect(ownerKey);
      const ok = await client.callTool({
        name: 'record_usage',
        arguments: { events: [{ meter: 'calls_analyzed', quantity: 1, idempotencyKey: 'a' }] },
      });
      expect(ok.structuredContent).toMatchObject({ accepted: 1 });
      const refused = await client.callTool({
        name: 'record_usage',
        arguments: { events: [{ meter: 'calls_analyzed', quantity: 1, idempotencyKey: 'b' }] },
      });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain('no payment method is on file');
      expect(textOf(refused)).toMatch(/Add a payment method: http:\/\/zelto\.test\/billing\/portal\/\S+/);
      expect(textOf(refused)).toContain('(error code: quota_exhausted)');
    } finally {
      await h.t.close();
    }
  });
});
