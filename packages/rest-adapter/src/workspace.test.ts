import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { orgHarness } from './test-support.js';

type Harness = Awaited<ReturnType<typeof orgHarness>>;
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5dd6f2e0000000049454e44ae426082',
  'hex',
);

describe('organization routes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await orgHarness();
  });
  afterEach(async () => {
    await h.t.close();
  });

  it('reads and updates settings; the slug is read-only', async () => {
    const got = await h.call('GET', '/v1/organization', { token: h.ownerKey });
    expect(got.body).toMatchObject({ slug: 'acme', name: 'Acme', timezone: 'UTC', defaultLocale: 'en', domainJoin: false });
    const patched = await h.call('PATCH', '/v1/organization', { token: h.ownerKey, body: { name: 'Acme EU', timezone: 'Europe/Berlin' } });
    expect(patched).toMatchObject({ status: 200, body: { name: 'Acme EU', timezone: 'Europe/Berlin', slug: 'acme' } });
    const slug = await h.call('PATCH', '/v1/organization', { token: h.ownerKey, body: { slug: 'other' } });
    expect(slug).toMatchObject({ status: 422, body: { code: 'slug_read_only', errors: [{ path: 'slug' }] } });
    const bad = await h.call('PATCH', '/v1/organization', { token: h.ownerKey, body: { timezone: 'Nowhere/City', defaultLocale: '??' } });
    expect(bad.status).toBe(422);
    expect((bad.body.errors as Array<{ path: string }>).map((e) => e.path).sort()).toEqual(['defaultLocale', 'timezone']);
    expect((await h.call('GET', '/v1/organization', { token: h.ownerKey })).body).toMatchObject({
      name: 'Acme EU',
      timezone: 'Europe/Berlin',
    });
  });

  it('uploads a logo checked by content and serves it at its public URL', async () => {
    const put = await h.call<{ logoUrl: string }>('PUT', '/v1/organization/logo', {
      token: h.ownerKey,
      raw: PNG,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(put.status).toBe(200);
    const path = new URL(put.body.logoUrl).pathname;
    const image = await h.app.request(path);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);
    const svg = await h.call('PUT', '/v1/organization/logo', {
      token: h.ownerKey,
      raw: '<svg xmlns="http://www.w3.org/2000/svg"/>',
      headers: { 'content-type': 'image/svg+xml' },
    });
    expect(svg).toMatchObject({ status: 422, body: { code: 'invalid_logo' } });
    const huge = await h.call('PUT', '/v1/organization/logo', {
      token: h.ownerKey,
      raw: Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]),
      headers: { 'content-type': 'image/png' },
    });
    expect(huge.status).toBe(413);
    expect((await h.call<{ logoUrl: string }>('GET', '/v1/organization', { token: h.ownerKey })).body.logoUrl).toBe(put.body.logoUrl);
    const removed = await h.call('DELETE', '/v1/organization/logo', { token: h.ownerKey });
    expect(removed.body).toMatchObject({ logoUrl: null });
    expect((await h.app.request(path)).status).toBe(404);
  });

  it('transfers ownership', async () => {
    await h.member('bo@acme.test', 'admin');
    const moved = await h.call('POST', '/v1/organization/transfer-ownership', {
      token: h.owner.token,
      org: 'acme',
      body: { member: 'bo@acme.test' },
    });
    expect(moved).toMatchObject({
      status: 200,
      body: { newOwner: { email: 'bo@acme.test', role: 'owner' }, previousOwner: { role: 'admin' } },
    });
    const again = await h.call('POST', '/v1/organization/transfer-ownership', {
      token: h.owner.token,
      org: 'acme',
      body: { member: 'bo@acme.test' },
    });
    expect(again).toMatchObject({ status: 403, body: { code: 'permission_denied' } });
  });
});

describe('member routes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await orgHarness();
  });
  afterEach(async () => {
    await h.t.close();
  });

  it('lists with a cursor and filters, and finds members by id or email in the path', async () => {
    for (const email of ['a@acme.test', 'b@acme.test', 'c@acme.test']) {
      await h.member(email, email.startsWith('a') ? 'admin' : 'member');
      h.t.clock.advance(1000);
    }
    const first = await h.call<{ data: Array<{ email: string }>; nextCursor: string }>('GET', '/v1/members?limit=2', { token: h.ownerKey });
    expect(first.body.data.map((m) => m.email)).toEqual(['c@acme.test', 'b@acme.test']);
    const second = await h.call<{ data: Array<{ email: string }>; nextCursor: null }>(
      'GET',
      `/v1/members?limit=2&cursor=${first.body.nextCursor}`,
      {
        token: h.ownerKey,
      },
    );
    expect(second.body.data.map((m) => m.email)).toEqual(['a@acme.test', 'owner@acme.test']);
    expect(second.body.nextCursor).toBeNull();
    const admins = await h.call<{ data: Array<{ email: string }> }>('GET', '/v1/members?role=admin', { token: h.ownerKey });
    expect(admins.body.data.map((m) => m.email)).toEqual(['a@acme.test']);
    const badQuery = await h.call('GET', '/v1/members?limit=1000&role=boss', { token: h.ownerKey });
    expect(badQuery.status).toBe(422);
    expect((badQuery.body.errors as Array<{ path: string }>).map((e) => e.path).sort()).toEqual(['limit', 'role']);
    const byEmail = await h.call<{ userId: string }>('GET', '/v1/members/a@acme.test', { token: h.ownerKey });
    expect(byEmail.status).toBe(200);
    expect((await h.call('GET', `/v1/members/${encodeURIComponent('A@ACME.test')}`, { token: h.ownerKey })).status).toBe(200);
    expect((await h.call('GET', `/v1/members/${byEmail.body.userId}`, { token: h.ownerKey })).body).toMatchObject({ email: 'a@acme.test' });
    expect(await h.call('GET', '/v1/members/ghost@acme.test', { token: h.ownerKey })).toMatchObject({
      status: 404,
      body: { code: 'member_not_found' },
    });
  });

  it('changes roles and refuses owner changes clearly', async () => {
    await h.member('bo@acme.test');
    expect((await h.call('PATCH', '/v1/members/bo@acme.test', { token: h.ownerKey, body: { role: 'admin' } })).body).toMatchObject({
      role: 'admin',
    });
    expect(await h.call('PATCH', '/v1/members/bo@acme.test', { token: h.ownerKey, body: { role: 'owner' } })).toMatchObject({
      status: 422,
      body: { code: 'owner_only_by_transfer' },
    });
    expect(await h.call('PATCH', '/v1/members/owner@acme.test', { token: h.ownerKey, body: { role: 'member' } })).toMatchObject({
      status: 409,
      body: { code: 'owner_role_locked' },
    });
  });

  it('removes a member, whose session is refused on its next request, and lists the keys they minted', async () => {
    const bo = await h.member('bo@acme.test', 'admin');
    const key = await h.call<{ id: string; secret: string }>('POST', '/v1/api-keys', {
      token: bo.token,
      org: 'acme',
      body: { name: 'bo key', role: 'member' },
    });
    expect((await h.call('GET', '/v1/members', { token: bo.token, org: 'acme' })).status).toBe(200);
    const removed = await h.call<{ apiKeysMintedByMember: Array<{ id: string }> }>('DELETE', '/v1/members/bo@acme.test', {
      token: h.ownerKey,
    });
    expect(removed.status).toBe(200);
    expect(removed.body.apiKeysMintedByMember.map((k) => k.id)).toEqual([key.body.id]);
    expect(await h.call('GET', '/v1/members', { token: bo.token, org: 'acme' })).toMatchObject({
      status: 403,
      body: { code: 'not_a_member' },
    });
    expect((await h.call('GET', '/v1/organization', { token: key.body.secret })).status).toBe(200);
    expect(await h.call('DELETE', '/v1/members/owner@acme.test', { token: h.ownerKey })).toMatchObject({
      status: 409,
      body: { code: 'owner_cannot_be_removed' },
    });
  });

  it('lets a member leave with DELETE /v1/members/me', async () => {
    const cy = await h.member('cy@acme.test');
    expect((await h.call('DELETE', '/v1/members/me', { token: cy.token, org: 'acme' })).status).toBe(200);
    expect((await h.call('GET', '/v1/organization', { token: cy.token, org: 'acme' })).status).toBe(403);
    expect(await h.call('DELETE', '/v1/members/me', { token: h.owner.token, org: 'acme' })).toMatchObject({
      status: 409,
      body: { code: 'owner_cannot_leave' },
    });
  });
});

describe('invitations, invite link, keys and audit routes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await orgHarness();
  });
  afterEach(async () => {
    await h.t.close();
  });

  it('invites one (201), reports a repeat (200), batches, resends and revokes', async () => {
    const one = await h.call<{ results: Array<{ invitation: { id: string } }> }>('POST', '/v1/invitations', {
      token: h.ownerKey,
      body: { email: 'ana@acme.test', role: 'admin' },
    });
    expect(one).toMatchObject({ status: 201, body: { results: [{ outcome: 'invited', emailSent: true }] } });
    const repeat = await h.call('POST', '/v1/invitations', { token: h.ownerKey, body: { email: 'ana@acme.test', role: 'admin' } });
    expect(repeat).toMatchObject({ status: 200, body: { results: [{ outcome: 'already_invited' }] } });
    const batch = await h.call('POST', '/v1/invitations', { token: h.ownerKey, body: { emails: ['b@acme.test', 'owner@acme.test'] } });
    expect(batch).toMatchObject({ status: 201, body: { results: [{ outcome: 'invited' }, { outcome: 'already_member' }] } });
    expect(await h.call('POST', '/v1/invitations', { token: h.ownerKey, body: { email: 'owner@acme.test' } })).toMatchObject({
      status: 409,
      body: { code: 'already_member' },
    });
    const bad = await h.call('POST', '/v1/invitations', { token: h.ownerKey, body: { emails: ['ok@acme.test', 'bad'] } });
    expect(bad).toMatchObject({ status: 422, body: { errors: [{ path: 'emails.1' }] } });
    const id = one.body.results[0]?.invitation.id;
    const list = await h.call<{ data: Array<{ id: string; status: string }> }>('GET', '/v1/invitations?status=pending', {
      token: h.ownerKey,
    });
    expect(list.body.data.map((i) => i.status)).toEqual(['pending', 'pending']);
    expect((await h.call('POST', `/v1/invitations/${id}/resend`, { token: h.ownerKey })).body).toMatchObject({
      status: 'pending',
      emailSent: true,
    });
    expect((await h.call('DELETE', `/v1/invitations/${id}`, { token: h.ownerKey })).body).toMatchObject({ status: 'revoked' });
    expect(await h.call('DELETE', `/v1/invitations/${id}`, { token: h.ownerKey })).toMatchObject({
      status: 409,
      body: { code: 'invitation_not_pending' },
    });
    expect(await h.call('DELETE', '/v1/invitations/inv_nope', { token: h.ownerKey })).toMatchObject({ status: 404 });
  });

  it('shows, regenerates and revokes the invite link', async () => {
    const link = await h.call<{ url: string; status: string }>('GET', '/v1/invite-link', { token: h.ownerKey });
    expect(link.body.status).toBe('active');
    const regenerated = await h.call<{ url: string }>('POST', '/v1/invite-link/regenerate', { token: h.ownerKey });
    expect(regenerated.body.url).not.toBe(link.body.url);
    const oldToken = link.body.url.split('/join/')[1];
    expect(await h.call('GET', `/v1/join/${oldToken}`)).toMatchObject({ status: 410, body: { code: 'invite_link_revoked' } });
    expect((await h.call('DELETE', '/v1/invite-link', { token: h.ownerKey })).body).toEqual({
      url: null,
      expiresAt: null,
      status: 'revoked',
    });
    const newToken = regenerated.body.url.split('/join/')[1];
    expect((await h.call('GET', `/v1/join/${newToken}`)).status).toBe(410);
  });

  it('mints, lists and deletes keys: a deleted key fails on the next request', async () => {
    const minted = await h.call<{ id: string; secret: string; stub: string }>('POST', '/v1/api-keys', {
      token: h.ownerKey,
      body: { name: 'CI', role: 'member' },
    });
    expect(minted.status).toBe(201);
    expect(minted.body.secret).toMatch(/^zlt_/);
    expect((await h.call('GET', '/v1/members', { token: minted.body.secret })).status).toBe(200);
    const listed = await h.call<{ data: Array<Record<string, unknown>> }>('GET', '/v1/api-keys', { token: h.ownerKey });
    expect(listed.body.data.find((k) => k.id === minted.body.id)).toMatchObject({ stub: minted.body.stub, role: 'member' });
    expect(JSON.stringify(listed.body)).not.toContain(minted.body.secret);
    expect((await h.call('DELETE', `/v1/api-keys/${minted.body.id}`, { token: h.ownerKey })).status).toBe(200);
    expect(await h.call('GET', '/v1/members', { token: minted.body.secret })).toMatchObject({
      status: 401,
      body: { code: 'unauthenticated' },
    });
    const member = await h.call<{ secret: string }>('POST', '/v1/api-keys', { token: h.ownerKey, body: { name: 'm', role: 'member' } });
    expect(await h.call('POST', '/v1/api-keys', { token: member.body.secret, body: { name: 'x', role: 'member' } })).toMatchObject({
      status: 403,
    });
  });

  it('pages the audit log and filters it by action', async () => {
    await h.call('POST', '/v1/invitations', { token: h.ownerKey, body: { email: 'ana@acme.test' } });
    const log = await h.call<{ data: Array<{ action: string; actor: { type: string } }> }>(
      'GET',
      '/v1/audit-events?action=invitation.sent',
      { token: h.ownerKey },
    );
    expect(log.body.data).toEqual([
      expect.objectContaining({ action: 'invitation.sent', actor: expect.objectContaining({ type: 'api_key', label: 'owner key' }) }),
    ]);
    expect((await h.call('GET', '/v1/audit-events?action=nonsense', { token: h.ownerKey })).status).toBe(422);
  });
});
