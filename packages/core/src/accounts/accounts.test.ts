import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, MINUTE } from '../clock.js';
import { BACKENDS, countRows, expectDomainError, testCore } from '../test-support.js';
import type { TestCore } from '../testing/index.js';

describe.each(BACKENDS)('accounts (%s)', (backend) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await testCore(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  const password = 'correct horse battery';

  it('signs up, emails a 6-digit code, and verifying it signs the person in', async () => {
    const result = await t.core.accounts.signUp({ email: 'Ana@Acme.test', password, name: 'Ana' });
    expect(result).toMatchObject({ email: 'ana@acme.test', verificationRequired: true });
    const code = t.mailer.codeFor('ana@acme.test');
    expect(code).toMatch(/^\d{6}$/);
    const session = await t.core.accounts.verifyEmail({ email: 'ANA@acme.test', code });
    expect(session.user).toMatchObject({ email: 'ana@acme.test', name: 'Ana', emailVerified: true, locale: 'en' });
    expect(session.token).toMatch(/^zls_/);
    const me = await t.core.accounts.me(await t.principal(session.token));
    expect(me.user.emailVerified).toBe(true);
  });

  it('verifies through the link in the email, once', async () => {
    await t.core.accounts.signUp({ email: 'bo@acme.test', password, name: 'Bo' });
    const link = t.mailer.linkFor('bo@acme.test', 'verification');
    const token = new URL(link).searchParams.get('token') as string;
    const session = await t.core.accounts.verifyEmail({ token });
    expect(session.user.emailVerified).toBe(true);
    await expectDomainError(t.core.accounts.verifyEmail({ token }), 'already_verified');
  });

  it('lets an unverified person sign in', async () => {
    await t.core.accounts.signUp({ email: 'cy@acme.test', password, name: 'Cy' });
    const session = await t.core.accounts.signIn({ email: 'cy@acme.test', password });
    expect(session.user.emailVerified).toBe(false);
    expect(session.memberships).toEqual([]);
  });

  it('refuses a wrong code and stops accepting after five wrong attempts', async () => {
    await t.core.accounts.signUp({ email: 'di@acme.test', password, name: 'Di' });
    const code = t.mailer.codeFor('di@acme.test');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      await expectDomainError(t.core.accounts.verifyEmail({ email: 'di@acme.test', code: wrong }), 'verification_code_invalid');
    }
    await expectDomainError(t.core.accounts.verifyEmail({ email: 'di@acme.test', code }), 'verification_code_invalid');
    // A new code works again.
    await t.core.accounts.resendVerification({ email: 'di@acme.test' });
    const session = await t.core.accounts.verifyEmail({ email: 'di@acme.test', code: t.mailer.codeFor('di@acme.test') });
    expect(session.user.emailVerified).toBe(true);
  });

  it('expires codes after 30 minutes, and a resent code replaces the old one', async () => {
    await t.core.accounts.signUp({ email: 'ed@acme.test', password, name: 'Ed' });
    const first = t.mailer.codeFor('ed@acme.test');
    t.clock.advance(31 * MINUTE);
    await expectDomainError(t.core.accounts.verifyEmail({ email: 'ed@acme.test', code: first }), 'verification_code_invalid');
    await t.core.accounts.resendVerification({ email: 'ed@acme.test' });
    const second = t.mailer.codeFor('ed@acme.test');
    await t.core.accounts.resendVerification({ email: 'ed@acme.test' });
    const third = t.mailer.codeFor('ed@acme.test');
    if (second !== third) {
      await expectDomainError(t.core.accounts.verifyEmail({ email: 'ed@acme.test', code: second }), 'verification_code_invalid');
    }
    await t.core.accounts.verifyEmail({ email: 'ed@acme.test', code: third });
  });

  it('answers a resend the same way whether or not the address exists', async () => {
    const known = await t.core.accounts.signUp({ email: 'fa@acme.test', password, name: 'Fa' });
    expect(known.email).toBe('fa@acme.test');
    const before = t.mailer.sent.length;
    const unknown = await t.core.accounts.resendVerification({ email: 'nobody@acme.test' });
    expect(unknown.message).toContain('If nobody@acme.test has an account');
    expect(t.mailer.sent.length).toBe(before);
  });

  it('makes a wrong email and a wrong password look the same', async () => {
    await t.person('gi@acme.test', { password });
    const wrongPassword = await expectDomainError(
      t.core.accounts.signIn({ email: 'gi@acme.test', password: 'nope nope nope' }),
      'invalid_credentials',
    );
    const wrongEmail = await expectDomainError(t.core.accounts.signIn({ email: 'who@acme.test', password }), 'invalid_credentials');
    expect(wrongEmail.message).toBe(wrongPassword.message);
    expect(wrongEmail.details).toEqual(wrongPassword.details);
  });

  it('rate-limits sign-in per address, then lets the person in after the window', async () => {
    await t.person('hu@acme.test', { password });
    for (let i = 0; i < 10; i++) {
      await expectDomainError(t.core.accounts.signIn({ email: 'hu@acme.test', password: 'wrong password!' }), 'invalid_credentials');
    }
    const limited = await expectDomainError(t.core.accounts.signIn({ email: 'hu@acme.test', password }), 'rate_limited');
    expect(limited.details.retryAfterSeconds).toBeGreaterThan(0);
    t.clock.advance(15 * MINUTE);
    await t.core.accounts.signIn({ email: 'hu@acme.test', password });
  });

  it('rate-limits sign-in per client across addresses', async () => {
    for (let i = 0; i < 50; i++) {
      await expectDomainError(t.core.accounts.signIn({ email: `x${i}@acme.test`, password }, { ip: '10.0.0.9' }), 'invalid_credentials');
    }
    await expectDomainError(t.core.accounts.signIn({ email: 'y@acme.test', password }, { ip: '10.0.0.9' }), 'rate_limited');
    await expectDomainError(t.core.accounts.signIn({ email: 'y@acme.test', password }, { ip: '10.0.0.10' }), 'invalid_credentials');
  });

  it('rate-limits verification attempts per address', async () => {
    await t.core.accounts.signUp({ email: 'iv@acme.test', password, name: 'Iv' });
    for (let i = 0; i < 10; i++) {
      await t.core.accounts.verifyEmail({ email: 'iv@acme.test', code: '999999' }).catch(() => {});
    }
    await expectDomainError(t.core.accounts.verifyEmail({ email: 'iv@acme.test', code: '999999' }), 'rate_limited');
  });

  it('signs out: the token fails on its next use', async () => {
    const p = await t.person('jo@acme.test');
    await t.core.accounts.signOut(await t.principal(p.token));
    const result = await t.core.authenticate(p.token);
    expect(result).toMatchObject({ ok: false, code: 'session_expired' });
  });

  it('expires sessions after 30 days', async () => {
    const p = await t.person('ka@acme.test');
    t.clock.advance(30 * DAY - 1000);
    expect((await t.core.authenticate(p.token)).ok).toBe(true);
    t.clock.advance(1000);
    expect(await t.core.authenticate(p.token)).toMatchObject({ ok: false, code: 'session_expired' });
  });

  it('refuses to sign up a verified address again, and changes nothing', async () => {
    await t.person('li@acme.test');
    const users = await countRows(t, 'users');
    await expectDomainError(t.core.accounts.signUp({ email: 'LI@acme.test', password, name: 'Li 2' }), 'email_already_registered');
    expect(await countRows(t, 'users')).toBe(users);
  });

  it("lets the address's real owner claim an account someone else signed up unverified", async () => {
    await t.core.accounts.signUp({ email: 'mo@acme.test', password: 'squatter password', name: 'Squatter' });
    const squatter = await t.core.accounts.signIn({ email: 'mo@acme.test', password: 'squatter password' });
    await t.core.accounts.signUp({ email: 'mo@acme.test', password: 'the real password', name: 'Mo' });
    // Until the address is verified, the new password does not work.
    await expectDomainError(t.core.accounts.signIn({ email: 'mo@acme.test', password: 'the real password' }), 'invalid_credentials');
    const session = await t.core.accounts.verifyEmail({ email: 'mo@acme.test', code: t.mailer.codeFor('mo@acme.test') });
    expect(session.user.name).toBe('Mo');
    await t.core.accounts.signIn({ email: 'mo@acme.test', password: 'the real password' });
    await expectDomainError(t.core.accounts.signIn({ email: 'mo@acme.test', password: 'squatter password' }), 'invalid_credentials');
    expect(await t.core.authenticate(squatter.token)).toMatchObject({ ok: false, code: 'session_expired' });
  });

  it('names every bad field and creates nothing', async () => {
    const users = await countRows(t, 'users');
    const error = await expectDomainError(
      t.core.accounts.signUp({ email: 'not-an-email', password: 'short', name: 'x'.repeat(101), locale: 'not a locale' }),
      'validation_failed',
    );
    expect(error.details.issues?.map((i) => i.path).sort()).toEqual(['email', 'locale', 'name', 'password']);
    expect(await countRows(t, 'users')).toBe(users);
    expect(t.mailer.sent).toHaveLength(0);
  });

  it('refuses unknown fields', async () => {
    const error = await expectDomainError(
      t.core.accounts.signUp({ email: 'a@acme.test', password, name: 'A', admin: true }),
      'validation_failed',
    );
    expect(error.message).toContain('admin');
  });

  it('turns a failed verification email into a clear error', async () => {
    t.mailer.failNext();
    const error = await expectDomainError(t.core.accounts.signUp({ email: 'ny@acme.test', password, name: 'Ny' }), 'email_delivery_failed');
    expect(error.message).toContain('ny@acme.test');
    await t.core.accounts.resendVerification({ email: 'ny@acme.test' });
    await t.core.accounts.verifyEmail({ email: 'ny@acme.test', code: t.mailer.codeFor('ny@acme.test') });
  });
});
