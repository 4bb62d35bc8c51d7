import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restHarness } from './test-support.js';

type Harness = Awaited<ReturnType<typeof restHarness>>;

describe('people over HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await restHarness();
  });
  afterEach(async () => {
    await h.t.close();
  });

  const password = 'correct horse battery';

  async function signUpAndVerify(email: string, name = 'Person') {
    const signup = await h.call('POST', '/v1/auth/signup', { body: { email, password, name } });
    expect(signup.status).toBe(202);
    const verified = await h.call<{ token: string; user: { id: string } }>('POST', '/v1/auth/verify-email', {
      body: { email, code: h.t.mailer.codeFor(email) },
    });
    expect(verified.status).toBe(200);
    return verified.body;
  }

  it('signs up, verifies, signs in, creates an organization and reads it', async () => {
    const signup = await h.call('POST', '/v1/auth/signup', { body: { email: 'Ana@Acme.test', password, name: 'Ana' } });
    expect(signup).toMatchObject({ status: 202, body: { email: 'ana@acme.test', verificationRequired: true } });
    const verify = await h.call('POST', '/v1/auth/verify-email', {
      body: { email: 'ana@acme.test', code: h.t.mailer.codeFor('ana@acme.test') },
    });
    expect(verify.body).toMatchObject({ user: { emailVerified: true }, memberships: [] });
    const login = await h.call<{ token: string }>('POST', '/v1/auth/login', { body: { email: 'ana@acme.test', password } });
    expect(login.status).toBe(200);
    const token = login.body.token;
    const created = await h.call<{ id: string; slug: string }>('POST', '/v1/organizations', {
      token,
      body: { name: 'Acme', timezone: 'Europe/Paris' },
    });
    expect(created).toMatchObject({ status: 201, body: { slug: 'acme', timezone: 'Europe/Paris' } });
    const me = await h.call('GET', '/v1/me', { token });
    expect(me.body).toMatchObject({ memberships: [{ role: 'owner', organization: { slug: 'acme' } }] });
    const org = await h.call('GET', '/v1/organization', { token, org: 'acme' });
    expect(org).toMatchObject({ status: 200, body: { id: created.body.id } });
    const withoutHeader = await h.call('GET', '/v1/organization', { token });
    expect(withoutHeader).toMatchObject({ status: 400, body: { code: 'organization_required' } });
  });

  it('verifies through the emailed link token', async () => {
    await h.call('POST', '/v1/auth/signup', { body: { email: 'bo@acme.test', password, name: 'Bo' } });
    const token = new URL(h.t.mailer.linkFor('bo@acme.test', 'verification')).searchParams.get('token');
    expect((await h.call('POST', '/v1/auth/verify-email', { body: { token } })).status).toBe(200);
    expect((await h.call('POST', '/v1/auth/verify-email', { body: { token } })).body).toMatchObject({ code: 'already_verified' });
  });

  it('previews an invite link publicly and joins through it once', async () => {
    const owner = await signUpAndVerify('owner@acme.test');
    await h.call('POST', '/v1/organizations', { token: owner.token, body: { name: 'Acme' } });
    const link = await h.call<{ url: string }>('GET', '/v1/invite-link', { token: owner.token, org: 'acme' });
    const joinToken = link.body.url.split('/join/')[1];
    const preview = await h.call('GET', `/v1/join/${joinToken}`);
    expect(preview).toMatchObject({ status: 200, body: { organization: { name: 'Acme' }, role: 'member' } });
    expect(preview.body).not.toHaveProperty('organization.members');
    await h.call('POST', '/v1/auth/signup', { body: { email: 'new@else.test', password, name: 'New' } });
    const session = await h.call<{ token: string }>('POST', '/v1/auth/login', { body: { email: 'new@else.test', password } });
    const joined = await h.call('POST', `/v1/join/${joinToken}`, { token: session.body.token });
    expect(joined).toMatchObject({ status: 200, body: { alreadyMember: false, member: { role: 'member', joinedVia: 'link' } } });
    const again = await h.call('POST', `/v1/join/${joinToken}`, { token: session.body.token });
    expect(again).toMatchObject({ status: 200, body: { alreadyMember: true } });
    expect((await h.call('GET', '/v1/join/not-a-token')).body).toMatchObject({ code: 'invite_link_not_found' });
    const anonymousJoin = await h.call('POST', `/v1/join/${joinToken}`);
    expect(anonymousJoin.status).toBe(401);
  });

  it('accepts an email invitation with the invited, verified address', async () => {
    const owner = await signUpAndVerify('owner@acme.test');
    await h.call('POST', '/v1/organizations', { token: owner.token, body: { name: 'Acme' } });
    await h.call('POST', '/v1/invitations', { token: owner.token, org: 'acme', body: { email: 'ana@acme.test', role: 'admin' } });
    const invitationToken = h.t.mailer.linkFor('ana@acme.test', 'invitation').split('/invitations/')[1];
    const stranger = await signUpAndVerify('eve@else.test');
    const refused = await h.call('POST', '/v1/invitations/accept', { token: stranger.token, body: { token: invitationToken } });
    expect(refused).toMatchObject({ status: 403, body: { code: 'invitation_email_mismatch' } });
    const ana = await signUpAndVerify('ana@acme.test');
    const accepted = await h.call('POST', '/v1/invitations/accept', { token: ana.token, body: { token: invitationToken } });
    expect(accepted).toMatchObject({ status: 200, body: { member: { role: 'admin', joinedVia: 'invitation' } } });
  });

  it('answers a wrong email and a wrong password alike, and rate-limits with Retry-After', async () => {
    await signUpAndVerify('ana@acme.test');
    const wrongPassword = await h.call('POST', '/v1/auth/login', { body: { email: 'ana@acme.test', password: 'wrong wrong wrong' } });
    const wrongEmail = await h.call('POST', '/v1/auth/login', { body: { email: 'who@acme.test', password } });
    expect(wrongPassword.status).toBe(401);
    expect({ ...wrongEmail.body, requestId: null }).toEqual({ ...wrongPassword.body, requestId: null });
    for (let i = 0; i < 9; i++) await h.call('POST', '/v1/auth/login', { body: { email: 'ana@acme.test', password: 'wrong wrong wrong' } });
    const limited = await h.call('POST', '/v1/auth/login', { body: { email: 'ana@acme.test', password } });
    expect(limited).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('names every bad field of a sign-up in a 422 problem', async () => {
    const bad = await h.call('POST', '/v1/auth/signup', { body: { email: 'nope', password: 'short', name: '', extra: 1 } });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const paths = (bad.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['email', 'password', 'name']));
    expect(JSON.stringify(bad.body)).toContain('extra');
  });

  it('signs out: the session is refused on its next use', async () => {
    const ana = await signUpAndVerify('ana@acme.test');
    expect((await h.call('POST', '/v1/auth/logout', { token: ana.token })).status).toBe(204);
    expect(await h.call('GET', '/v1/me', { token: ana.token })).toMatchObject({ status: 401, body: { code: 'session_expired' } });
  });

  it('refuses person routes to API keys', async () => {
    const owner = await signUpAndVerify('owner@acme.test');
    await h.call('POST', '/v1/organizations', { token: owner.token, body: { name: 'Acme' } });
    const key = await h.call<{ secret: string }>('POST', '/v1/api-keys', {
      token: owner.token,
      org: 'acme',
      body: { name: 'k', role: 'admin' },
    });
    expect(await h.call('GET', '/v1/me', { token: key.body.secret })).toMatchObject({ status: 403, body: { code: 'not_a_person' } });
    expect(await h.call('POST', '/v1/organizations', { token: key.body.secret, body: { name: 'X' } })).toMatchObject({ status: 403 });
  });
});
