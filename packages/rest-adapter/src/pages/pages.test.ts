/**
 * The pages over app.request(), without a browser: CSRF, escaping, headers, statuses, cookies
 * and the verification link. The whole flows in Chromium are in pages.browser.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PageClient, type PageReply, pagesHarness } from '../test-support.js';
import { isPagePath } from './app.js';

type Harness = Awaited<ReturnType<typeof pagesHarness>>;

const DAY = 24 * 60 * 60 * 1000;
const PASSWORD = 'correct horse battery';

function directives(csp: string | null): Map<string, string> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name = '', ...values] = d.split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
  );
}

function expectSecurityHeaders(reply: PageReply, what: string): void {
  const csp = directives(reply.headers.get('content-security-policy'));
  expect(Object.fromEntries(csp), what).toEqual({
    'default-src': "'none'",
    'img-src': "'self' http://zelto.test",
    'style-src': "'self'",
    'form-action': "'self'",
    'frame-ancestors': "'none'",
    'base-uri': "'none'",
  });
  expect(reply.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(reply.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(reply.headers.get('x-frame-options'), what).toBe('DENY');
}

/** The Set-Cookie line for a cookie name. */
function setCookie(reply: PageReply, name: string): string | undefined {
  return reply.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

describe('the pages, over HTTP', () => {
  let h: Harness;
  let token: string;
  beforeEach(async () => {
    h = await pagesHarness();
    token = await h.t.inviteLinkToken(h.ownerP);
  });
  afterEach(async () => {
    await h.t.close();
  });

  /** Signs up on the join page and verifies with the emailed code: the new person's client. */
  async function joinAsNewPerson(email: string, name = 'New Person'): Promise<{ client: PageClient; reply: PageReply }> {
    const client = h.client();
    await client.get(`/join/${token}`);
    const signedUp = await client.post(`/join/${token}`, { intent: 'sign-up', name, email, password: PASSWORD });
    expect(signedUp.status).toBe(200);
    const reply = await client.post(`/join/${token}`, { intent: 'verify', email, code: h.t.mailer.codeFor(email) });
    return { client, reply };
  }

  describe('the join page', () => {
    it("shows the organization's name with labelled sign-in and sign-up forms carrying a CSRF token", async () => {
      const client = h.client();
      const page = await client.get(`/join/${token}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.text).toContain('<html lang="en">');
      expect(page.text).toContain('<h1>Join Acme</h1>');
      expect(page.text).toMatch(/<link rel="stylesheet" href="\/assets\/pages\.css\?v=[0-9a-f]{16}">/);
      expect(page.text).not.toContain('<script');
      // Every visible input has a label; every form posts the CSRF token.
      const inputs = [...page.text.matchAll(/<input id="([^"]+)"[^>]*type="(?!hidden)/g)].map((m) => m[1]);
      expect(inputs).toEqual(['sign-in-email', 'sign-in-password', 'sign-up-name', 'sign-up-email', 'sign-up-password']);
      for (const id of inputs) expect(page.text).toContain(`<label for="${id}">`);
      const forms = page.text.match(/<form /g)?.length ?? 0;
      expect(page.text.match(/name="_csrf" value="[A-Za-z0-9_-]{43}"/g)?.length).toBe(forms);
      const cookie = setCookie(page, 'zelto_csrf') ?? '';
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      expect(cookie).toContain(`zelto_csrf=${page.csrf}`);
    });

    it('joins a new person with the organization default locale and says so, with the role', async () => {
      await h.t.core.organizations.update(h.ownerP, { defaultLocale: 'fr-CA' });
      const { client, reply } = await joinAsNewPerson('new@else.test');
      expect(reply.status).toBe(200);
      expect(reply.text).toContain("You're a member of <strong>Acme</strong> as <strong>member</strong>.");
      const session = client.cookie('zelto_session') ?? '';
      expect(session).toMatch(/^zls_/);
      const me = await h.t.core.accounts.me(await h.t.principal(session));
      expect(me.user).toMatchObject({ email: 'new@else.test', locale: 'fr-CA', emailVerified: true });
      expect((await h.members()).find((m) => m.email === 'new@else.test')).toMatchObject({ role: 'member', joinedVia: 'link' });
    });

    it('tells a signed-in member they are already a member, on a visit and on joining again', async () => {
      const { client } = await joinAsNewPerson('new@else.test');
      const visit = await client.get(`/join/${token}`);
      expect(visit.status).toBe(200);
      expect(visit.text).toContain("You're already a member of <strong>Acme</strong> as <strong>member</strong>.");
      const again = await client.post(`/join/${token}`, { intent: 'complete' });
      expect(again.text).toContain("You're already a member");
      expect((await h.members()).filter((m) => m.email === 'new@else.test')).toHaveLength(1);
    });

    it('signs in an existing person and joins; a wrong password shows the core message, 401, and joins nothing', async () => {
      const bo = await h.t.person('bo@else.test');
      const client = h.client();
      await client.get(`/join/${token}`);
      const wrong = await client.post(`/join/${token}`, { intent: 'sign-in', email: bo.email, password: 'not the password' });
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('The email or password is wrong. Check both and try again.');
      expect(wrong.text).toContain('role="alert"');
      expect(wrong.text).toContain(`value="${bo.email}"`);
      expect(wrong.text).not.toContain('not the password');
      expect(/<input id="sign-in-password"[^>]*>/.exec(wrong.text)?.[0]).toContain('autofocus');
      expect(client.cookie('zelto_session')).toBeUndefined();
      expect((await h.members()).some((m) => m.email === bo.email)).toBe(false);

      const right = await client.post(`/join/${token}`, { intent: 'sign-in', email: bo.email, password: bo.password });
      expect(right.status).toBe(200);
      expect(right.text).toContain("You're a member of <strong>Acme</strong> as <strong>member</strong>.");
      expect((await h.members()).find((m) => m.email === bo.email)).toMatchObject({ role: 'member', joinedVia: 'link' });
    });

    it('marks each failing field, ties its message to the input, keeps what was typed but the password', async () => {
      const client = h.client();
      await client.get(`/join/${token}`);
      const reply = await client.post(`/join/${token}`, { intent: 'sign-up', name: 'Ana', email: 'not-an-email', password: 'short' });
      expect(reply.status).toBe(422);
      for (const name of ['email', 'password']) {
        const id = `sign-up-${name}`;
        const input = new RegExp(`<input id="${id}"[^>]*>`).exec(reply.text)?.[0] ?? '';
        expect(input).toContain('aria-invalid="true"');
        expect(input).toMatch(new RegExp(`aria-describedby="[^"]*${id}-error`));
        expect(reply.text).toMatch(new RegExp(`<p class="error-message" id="${id}-error">`));
        expect(reply.text).toContain(`<a href="#${id}">`);
      }
      expect(reply.text).toContain('Not a valid email address.');
      expect(reply.text).toContain('A password has at least 10 characters.');
      expect(/<input id="sign-up-email"[^>]*>/.exec(reply.text)?.[0]).toContain('autofocus');
      expect(reply.text).toContain('value="Ana"');
      expect(reply.text).not.toContain('value="short"');
      expect(h.t.mailer.sent).toHaveLength(1); // the owner's verification only
    });

    it('signs out: the session ends in the core and the cookie is cleared', async () => {
      const { client } = await joinAsNewPerson('new@else.test');
      const session = client.cookie('zelto_session') as string;
      const out = await client.post(`/join/${token}`, { intent: 'sign-out' });
      expect(out.status).toBe(303);
      expect(out.headers.get('location')).toBe(`/join/${token}`);
      expect(client.cookie('zelto_session')).toBeUndefined();
      expect((await h.t.core.authenticate(session)).ok).toBe(false);
      expect((await client.get(`/join/${token}`)).text).toContain('<h2 id="sign-in-title">Sign in</h2>');
    });

    it('rate-limits sign-in per address through the core, with Retry-After', async () => {
      const client = h.client();
      await client.get(`/join/${token}`);
      let reply: PageReply | undefined;
      for (let i = 0; i < 11; i++) {
        reply = await client.post(`/join/${token}`, { intent: 'sign-in', email: 'owner@acme.test', password: 'wrong password' });
      }
      expect(reply?.status).toBe(429);
      expect(reply?.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(reply?.text).toContain('Too many attempts.');
    });
  });

  describe('links that let nobody in', () => {
    it('answers 404 for an unknown or malformed token, 410 for a revoked, replaced or expired link', async () => {
      const client = h.client();
      const unknown = await client.get('/join/not-a-real-token');
      expect(unknown.status).toBe(404);
      expect(unknown.text).toContain('This invite link is not valid. Ask an admin of the organization for a new link.');
      expect(unknown.text).not.toContain('<form');
      expect((await client.get(`/join/${'x'.repeat(300)}`)).status).toBe(404);

      const expiredAt = h.t.clock.now() + 31 * DAY;
      h.t.clock.set(expiredAt);
      const expired = await client.get(`/join/${token}`);
      expect(expired.status).toBe(410);
      expect(expired.text).toContain('This invite link has expired (links last 30 days). Ask an admin for a new link.');

      await h.t.core.inviteLink.regenerate(h.ownerP);
      const replaced = await client.get(`/join/${token}`);
      expect(replaced.status).toBe(410);
      expect(replaced.text).toContain('This invite link was replaced by a newer one. Ask an admin for the current link.');
    });

    it('refuses every action on a revoked link with 410, and changes nothing', async () => {
      const bo = await h.t.person('bo@else.test');
      const client = h.client();
      await client.get(`/join/${token}`);
      await h.t.core.inviteLink.revoke(h.ownerP);
      const page = await client.get(`/join/${token}`);
      expect(page.status).toBe(410);
      expect(page.text).toContain('This invite link was revoked. Ask an admin for a new link.');
      const sent = h.t.mailer.sent.length;
      const signIn = await client.post(`/join/${token}`, { intent: 'sign-in', email: bo.email, password: bo.password });
      expect(signIn.status).toBe(410);
      const signUp = await client.post(`/join/${token}`, { intent: 'sign-up', name: 'C', email: 'c@else.test', password: PASSWORD });
      expect(signUp.status).toBe(410);
      expect(client.cookie('zelto_session')).toBeUndefined();
      expect(h.t.mailer.sent).toHaveLength(sent);
      expect((await h.members()).map((m) => m.email)).toEqual(['owner@acme.test']);
    });

    it('answers invitations: 404 unknown, 410 revoked or expired, 409 accepted', async () => {
      const client = h.client();
      expect((await client.get('/invitations/nope')).status).toBe(404);
      await h.t.core.invitations.invite(h.ownerP, { email: 'ana@acme.test', role: 'admin' });
      const anaToken = h.t.mailer.linkFor('ana@acme.test', 'invitation').split('/invitations/')[1] as string;
      const pending = await client.get(`/invitations/${anaToken}`);
      expect(pending.status).toBe(200);
      expect(pending.text).toContain('<strong>ana@acme.test</strong> to join <strong>Acme</strong> as <strong>admin</strong>');
      expect(pending.text).toContain('value="ana@acme.test"');

      h.t.clock.advance(8 * DAY);
      const expired = await client.get(`/invitations/${anaToken}`);
      expect(expired.status).toBe(410);
      expect(expired.text).toContain('This invitation has expired');
      expect(expired.text).toContain('Ask an admin to resend it.');

      await h.t.core.invitations.invite(h.ownerP, { email: 'bo@acme.test', role: 'member' });
      const boToken = h.t.mailer.linkFor('bo@acme.test', 'invitation').split('/invitations/')[1] as string;
      const [bo] = (await h.t.core.invitations.list(h.ownerP, { status: 'pending' })).data;
      await h.t.core.invitations.revoke(h.ownerP, { id: bo?.id });
      const revoked = await client.get(`/invitations/${boToken}`);
      expect(revoked.status).toBe(410);
      expect(revoked.text).toContain('This invitation was revoked. Ask an admin to invite you again.');

      await h.t.member(h.org.id, h.ownerP, 'cy@acme.test');
      const cyToken = h.t.mailer.linkFor('cy@acme.test', 'invitation').split('/invitations/')[1] as string;
      expect((await client.get(`/invitations/${cyToken}`)).status).toBe(409);
    });
  });

  describe('email invitations', () => {
    async function invite(email: string, role: 'member' | 'admin' = 'admin'): Promise<string> {
      await h.t.core.invitations.invite(h.ownerP, { email, role });
      return h.t.mailer.linkFor(email, 'invitation').split('/invitations/')[1] as string;
    }

    it('refuses another address with the core message (sign in with the invited address), and accepts nothing', async () => {
      const invitation = await invite('ana@acme.test');
      const bo = await h.t.person('bo@else.test');
      const client = h.client();
      await client.get(`/invitations/${invitation}`);
      const reply = await client.post(`/invitations/${invitation}`, { intent: 'sign-in', email: bo.email, password: bo.password });
      expect(reply.status).toBe(403);
      expect(reply.text).toContain('Sign in with the invited address.');
      expect(reply.text).toContain('Signed in as <strong>bo@else.test</strong>');
      expect((await h.members()).some((m) => m.email === bo.email)).toBe(false);
    });

    it('asks an unverified invitee for the emailed code, then accepts with the invited role', async () => {
      const invitation = await invite('ana@acme.test');
      const ana = await h.t.person('ana@acme.test', { verified: false });
      const client = h.client();
      await client.get(`/invitations/${invitation}`);
      const reply = await client.post(`/invitations/${invitation}`, { intent: 'sign-in', email: ana.email, password: ana.password });
      expect(reply.status).toBe(403);
      expect(reply.text).toContain('Verify ana@acme.test first');
      expect(reply.text).toContain('<input id="verify-code"');
      const resent = await client.post(`/invitations/${invitation}`, { intent: 'resend', email: ana.email });
      expect(resent.text).toContain('a new code is on its way');
      const accepted = await client.post(`/invitations/${invitation}`, {
        intent: 'verify',
        email: ana.email,
        code: h.t.mailer.codeFor(ana.email),
      });
      expect(accepted.status).toBe(200);
      expect(accepted.text).toContain("You're a member of <strong>Acme</strong> as <strong>admin</strong>.");
      expect((await h.members()).find((m) => m.email === ana.email)).toMatchObject({ role: 'admin', joinedVia: 'invitation' });
    });
  });

  describe('CSRF', () => {
    it('refuses a POST without a token, with a foreign token, without the cookie, or from another origin: 403, nothing changed', async () => {
      const client = h.client();
      const page = await client.get(`/join/${token}`);
      const signUp = { intent: 'sign-up', name: 'Eve', email: 'eve@else.test', password: PASSWORD };

      const none = await client.post(`/join/${token}`, { ...signUp, _csrf: '' });
      expect(none.status).toBe(403);
      expect(none.text).toContain('This form has expired');
      expect(none.text).toContain('Nothing was changed.');
      expectSecurityHeaders(none, 'CSRF refusal');

      const other = h.client();
      const otherPage = await other.get(`/join/${token}`);
      expect(otherPage.csrf).not.toBe(page.csrf);
      expect((await client.post(`/join/${token}`, { ...signUp, _csrf: otherPage.csrf as string })).status).toBe(403);

      const cookieless = h.client();
      expect((await cookieless.post(`/join/${token}`, { ...signUp, _csrf: page.csrf as string })).status).toBe(403);

      const foreign = await client.post(`/join/${token}`, signUp, { origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
      const crossSite = await client.post(`/join/${token}`, signUp, { 'sec-fetch-site': 'cross-site' });
      expect(crossSite.status).toBe(403);
      const sibling = await client.post(`/join/${token}`, signUp, { 'sec-fetch-site': 'same-site' });
      expect(sibling.status).toBe(403);

      expect(h.t.mailer.last('eve@else.test')).toBeUndefined();
      await expect(h.t.core.accounts.resendVerification({ email: 'eve@else.test' })).resolves.toBeDefined();
      expect(h.t.mailer.last('eve@else.test')).toBeUndefined(); // no account was created

      // The same form with the right token goes through, as browsers send it under no-referrer.
      const ok = await client.post(`/join/${token}`, signUp, { origin: 'null', 'sec-fetch-site': 'same-origin' });
      expect(ok.status).toBe(200);
      expect(h.t.mailer.last('eve@else.test', 'verification')).toBeDefined();
    });

    it('refuses a signed-in join without the token: no membership', async () => {
      const bo = await h.t.person('bo@else.test');
      const client = h.client();
      await client.get(`/join/${token}`);
      client.cookies.set('zelto_session', { value: bo.token, path: '/' });
      const refused = await client.post(`/join/${token}`, { intent: 'complete', _csrf: 'A'.repeat(43) });
      expect(refused.status).toBe(403);
      expect((await h.members()).some((m) => m.email === bo.email)).toBe(false);
      const joined = await client.post(`/join/${token}`, { intent: 'complete' });
      expect(joined.status).toBe(200);
      expect((await h.members()).some((m) => m.email === bo.email)).toBe(true);
    });
  });

  describe('escaping', () => {
    it('renders a hostile organization name as text on every page that shows it', async () => {
      const hostile = '<script>alert(1)</script>';
      await h.t.core.organizations.update(h.ownerP, { name: hostile });
      const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;';
      const client = h.client();
      const join = await client.get(`/join/${token}`);
      await h.t.core.invitations.invite(h.ownerP, { email: 'ana@acme.test', role: 'member' });
      const invitation = await client.get(h.t.mailer.linkFor('ana@acme.test', 'invitation').replace('http://zelto.test', ''));
      const bo = await h.t.person('bo@else.test');
      const done = await client.post(`/join/${token}`, { intent: 'sign-in', email: bo.email, password: bo.password });
      for (const [what, page] of Object.entries({ join, invitation, done })) {
        expect(page.status, what).toBe(200);
        expect(page.text, what).toContain(escaped);
        expect(page.text, what).not.toContain('<script');
      }
      expect(join.text).toContain(`<title>Join ${escaped} · Zelto</title>`);
    });
  });

  describe('headers and paths', () => {
    it('sends the security headers on every kind of page, the stylesheet and redirects', async () => {
      const client = h.client();
      const replies: Record<string, PageReply> = {
        join: await client.get(`/join/${token}`),
        unknown: await client.get('/join/nope'),
        invitation: await client.get('/invitations/nope'),
        notFound: await client.get('/join/a/b'),
        verify: await client.get('/verify-email'),
        verifyRedirect: await client.get('/verify-email?token=abcdefghijklmnopqrstuvwxyz'),
        stylesheet: await client.get('/assets/pages.css'),
      };
      await h.t.core.inviteLink.revoke(h.ownerP);
      replies.revoked = await client.get(`/join/${token}`);
      for (const [what, reply] of Object.entries(replies)) expectSecurityHeaders(reply, what);
      expect(replies.notFound?.status).toBe(404);
      expect(replies.stylesheet?.headers.get('content-type')).toContain('text/css');
    });

    it('routes only page paths to the pages app', () => {
      for (const path of ['/join/abc', '/invitations/abc', '/verify-email', '/assets/pages.css']) expect(isPagePath(path), path).toBe(true);
      for (const path of [
        '/v1/invitations',
        '/v1/invitations/accept',
        '/v1/join/abc',
        '/mcp',
        '/openapi.json',
        '/logos/org_1/abc',
        '/joinx',
        '/',
      ])
        expect(isPagePath(path), path).toBe(false);
    });
  });

  describe('email verification', () => {
    it('moves the link token out of the URL at once, verifies only on a confirmed POST, and signs in', async () => {
      await h.t.core.accounts.signUp({ email: 'ana@else.test', password: PASSWORD, name: 'Ana' });
      const link = h.t.mailer.linkFor('ana@else.test', 'verification');
      const verifyToken = new URL(link).searchParams.get('token') as string;
      const client = h.client();
      const landed = await client.get(link.replace('http://zelto.test', ''));
      expect(landed.status).toBe(303);
      expect(landed.headers.get('location')).toBe('/verify-email');
      expect(setCookie(landed, 'zelto_verify')).toMatch(/Path=\/verify-email.*HttpOnly|HttpOnly.*Path=\/verify-email/);
      // A GET alone (a mail scanner's prefetch) verifies nothing.
      const before = await h.t.core.accounts.signIn({ email: 'ana@else.test', password: PASSWORD });
      expect(before.user.emailVerified).toBe(false);

      const confirm = await client.get('/verify-email');
      expect(confirm.text).toContain('Verify my email');
      expect(confirm.text).not.toContain(verifyToken);
      const done = await client.post('/verify-email', { intent: 'link' });
      expect(done.status).toBe(200);
      expect(done.text).toContain('<strong>ana@else.test</strong> is verified');
      expect(client.cookie('zelto_verify')).toBeUndefined();
      const session = setCookie(done, 'zelto_session') ?? '';
      expect(session).toMatch(/^zelto_session=zls_/);
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Lax/);
      expect(session).toMatch(/Path=\//);
      const me = await h.t.core.accounts.me(await h.t.principal(client.cookie('zelto_session') as string));
      expect(me.user.emailVerified).toBe(true);

      // The same link again: the core's message, and its status.
      const again = h.client();
      await again.get(link.replace('http://zelto.test', ''));
      await again.get('/verify-email');
      const used = await again.post('/verify-email', { intent: 'link' });
      expect(used.status).toBe(409);
      expect(used.text).toContain('This link was already used. Sign in with your email and password.');
    });

    it('returns to the join page the person signed up on after verifying through the link', async () => {
      const client = h.client();
      await client.get(`/join/${token}`);
      await client.post(`/join/${token}`, { intent: 'sign-up', name: 'Ana', email: 'ana@else.test', password: PASSWORD });
      const link = h.t.mailer.linkFor('ana@else.test', 'verification');
      await client.get(link.replace('http://zelto.test', ''));
      await client.get('/verify-email');
      const verified = await client.post('/verify-email', { intent: 'link' });
      expect(verified.status).toBe(303);
      expect(verified.headers.get('location')).toBe(`/join/${token}`);
      const back = await client.get(`/join/${token}`);
      expect(back.text).toContain('Signed in as <strong>ana@else.test</strong>');
      expect(back.text).toContain('<button type="submit" name="intent" value="complete">Join Acme</button>');
    });

    it('verifies with the address and code, showing a wrong code as the core says, on the code field', async () => {
      await h.t.core.accounts.signUp({ email: 'ana@else.test', password: PASSWORD, name: 'Ana' });
      const client = h.client();
      await client.get('/verify-email');
      const code = h.t.mailer.codeFor('ana@else.test');
      const wrongCode = code === '000000' ? '111111' : '000000';
      const wrong = await client.post('/verify-email', { intent: 'code', email: 'ana@else.test', code: wrongCode });
      expect(wrong.status).toBe(422);
      expect(wrong.text).toContain('That code is wrong or no longer valid.');
      const malformed = await client.post('/verify-email', { intent: 'code', email: 'ana@else.test', code: '12' });
      expect(/<input id="verify-code"[^>]*>/.exec(malformed.text)?.[0]).toContain('aria-invalid="true"');
      expect(malformed.text).toContain('The code is the 6 digits from the email.');
      const right = await client.post('/verify-email', { intent: 'code', email: 'ana@else.test', code });
      expect(right.status).toBe(200);
      expect(right.text).toContain('is verified');
    });
  });
});

describe('the pages behind https', () => {
  it('marks cookies Secure with the __Host- prefix', async () => {
    const h = await pagesHarness({ publicUrl: 'https://zelto.example' });
    try {
      const token = await h.t.inviteLinkToken(h.ownerP);
      const bo = await h.t.person('bo@else.test');
      const client = h.client();
      const page = await client.get(`/join/${token}`);
      expect(setCookie(page, '__Host-zelto_csrf')).toMatch(/; Secure/);
      expect(page.headers.get('content-security-policy')).toContain("img-src 'self' https://zelto.example");
      const joined = await client.post(`/join/${token}`, { intent: 'sign-in', email: bo.email, password: bo.password });
      expect(joined.status).toBe(200);
      const session = setCookie(joined, '__Host-zelto_session') ?? '';
      expect(session).toMatch(/; Secure/);
      expect(session).toMatch(/; HttpOnly/);
      expect(session).toMatch(/; Path=\//);
      expect(session).toMatch(/; SameSite=Lax/);
    } finally {
      await h.t.close();
    }
  });
});
