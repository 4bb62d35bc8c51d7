/**
 * The pages in a real browser: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), against the pages and REST apps served in-process over a TestCore, so
 * the test reads the codes the RecordingMailer "sent" and checks the core's state afterwards.
 * Every page visited is saved to test-artifacts/pages/<name>.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { type ServerType, serve } from '@hono/node-server';
import { TestCore } from '@zelto/core/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRestApp } from '../app.js';
import { createPagesApp, isPagePath } from './app.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/pages/', import.meta.url));
const PASSWORD = 'correct horse battery';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Handler = (request: Request, env: unknown) => Response | Promise<Response>;

/** A solid-colour PNG, so the organization has a real logo for the page to show. */
function png(size: number, rgb: [number, number, number]): Uint8Array {
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])));
    return Buffer.concat([length, Buffer.from(type), data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('the pages in Chromium', () => {
  let browser: Browser;
  let server: ServerType;
  let baseUrl: string;
  // The server outlives each test's core: it forwards to whatever app the current test built.
  let handler: Handler = () => new Response('not ready', { status: 503 });
  let t: TestCore;
  let context: BrowserContext;
  let problems: string[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = serve({ fetch: (request, env) => handler(request, env), port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (!existsSync(CHROMIUM)) throw new Error(`The browser tests drive Debian's Chromium at ${CHROMIUM}: apt-get install chromium.`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  beforeEach(async () => {
    t = await TestCore.create({ config: { publicUrl: baseUrl } });
    const rest = createRestApp({ core: t.core, publicUrl: baseUrl });
    const pages = createPagesApp({ core: t.core, publicUrl: baseUrl });
    // The same split as `zelto serve`: pages by path, the rest (logos included) to REST.
    handler = (request, env) => (isPagePath(new URL(request.url).pathname) ? pages.fetch(request, env) : rest.fetch(request, env as never));
    context = await browser.newContext();
    problems = [];
  });

  afterEach(async () => {
    await context.close();
    await t.close();
    // No CSP violation, failed load or script error on any page.
    expect(problems).toEqual([]);
  });

  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of (4|5)\d\d/.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));
    return page;
  }

  /** Waits until the page's h1 says `heading`: the new page has arrived, not just been asked for. */
  async function shows(page: Page, heading: string): Promise<void> {
    await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
  }

  async function snapshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
  }

  /** An organization with a logo, its owner, and its invite link. */
  async function acme(options: { defaultLocale?: string } = {}) {
    const { org, ownerP } = await t.organization('Acme', 'owner@acme.test');
    await t.core.organizations.setLogo(ownerP, png(64, [11, 87, 208]));
    if (options.defaultLocale) await t.core.organizations.update(ownerP, { defaultLocale: options.defaultLocale });
    const link = (await t.core.inviteLink.get(ownerP)).url as string;
    return { org, ownerP, link };
  }

  async function member(ownerP: Awaited<ReturnType<typeof acme>>['ownerP'], email: string) {
    return (await t.core.members.list(ownerP, { limit: 100 })).data.find((m) => m.email === email);
  }

  it('joins a new person through the invite link: sign up, verify the emailed code, land as member', async () => {
    const { ownerP, link } = await acme({ defaultLocale: 'fr-CA' });
    expect(link.startsWith(`${baseUrl}/join/`)).toBe(true);
    const page = await newPage();
    const opened = await page.goto(link);
    expect(opened?.status()).toBe(200);
    await shows(page, 'Join Acme');
    // The logo loads under the CSP, and the stylesheet applies.
    expect(await page.locator('header img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(64);
    expect((await page.locator('main').boundingBox())?.width).toBe(480); // the card's max-width: the stylesheet applies
    // Keyboard order follows the page: skip link, sign-in fields and button, then sign-up.
    const order: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(() => {
          const focused = (globalThis as unknown as { document: { activeElement: { id: string; textContent: string | null } | null } })
            .document.activeElement;
          return focused?.id || focused?.textContent?.trim() || '';
        }),
      );
    }
    expect(order).toEqual([
      'Skip to content',
      'sign-in-email',
      'sign-in-password',
      'Sign in and join',
      'sign-up-name',
      'sign-up-email',
      'sign-up-password',
      'Create account',
    ]);
    await snapshot(page, 'join-new-1-invite-link');

    const signUp = page.getByRole('form', { name: 'Create an account' });
    await signUp.getByLabel('Your name').fill('Nia Newcomer');
    await signUp.getByLabel('Email address').fill('nia@else.test');
    await signUp.getByLabel('Choose a password').fill(PASSWORD);
    await signUp.getByRole('button', { name: 'Create account' }).click();
    await shows(page, 'Check your email');
    await expect(page.getByRole('status').textContent()).resolves.toContain('We sent a 6-digit code to nia@else.test');
    await snapshot(page, 'join-new-2-check-email');

    await page.getByLabel('6-digit code').fill(t.mailer.codeFor('nia@else.test'));
    await page.getByLabel('6-digit code').press('Enter');
    await shows(page, "You're in");
    await expect(page.getByRole('status').textContent()).resolves.toBe("You're a member of Acme as member.");
    expect(page.url()).toBe(link);
    await snapshot(page, 'join-new-3-member');

    expect(await member(ownerP, 'nia@else.test')).toMatchObject({ role: 'member', joinedVia: 'link', name: 'Nia Newcomer' });
    const session = (await context.cookies()).find((cookie) => cookie.name === 'zelto_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    const me = await t.core.accounts.me(await t.principal(session?.value as string));
    expect(me.user).toMatchObject({ email: 'nia@else.test', locale: 'fr-CA', emailVerified: true });
  });

  it('joins an existing person who signs in, and says so again on a later visit', async () => {
    const { ownerP, link } = await acme();
    const bo = await t.person('bo@else.test');
    const page = await newPage();
    await page.goto(link);
    const signIn = page.getByRole('form', { name: 'Sign in' });
    await signIn.getByLabel('Email address').fill(bo.email);
    await signIn.getByLabel('Password').fill('not my password');
    await signIn.getByRole('button', { name: 'Sign in and join' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The email or password is wrong. Check both and try again.');
    await snapshot(page, 'join-existing-1-wrong-password');
    expect(await member(ownerP, bo.email)).toBeUndefined();

    await signIn.getByLabel('Password').fill(bo.password);
    await signIn.getByRole('button', { name: 'Sign in and join' }).click();
    await shows(page, "You're in");
    await expect(page.getByRole('status').textContent()).resolves.toBe("You're a member of Acme as member.");
    await snapshot(page, 'join-existing-2-member');
    expect(await member(ownerP, bo.email)).toMatchObject({ role: 'member', joinedVia: 'link' });

    await page.goto(link);
    await shows(page, "You're already a member");
    await expect(page.getByRole('status').textContent()).resolves.toBe("You're already a member of Acme as member.");
    await snapshot(page, 'join-existing-3-already-member');
  });

  it('shows a revoked link as gone (410), and a form opened before the revoke changes nothing', async () => {
    const { ownerP, link } = await acme();
    const bo = await t.person('bo@else.test');
    const page = await newPage();
    await page.goto(link);
    await t.core.inviteLink.revoke(ownerP);

    const signIn = page.getByRole('form', { name: 'Sign in' });
    await signIn.getByLabel('Email address').fill(bo.email);
    await signIn.getByLabel('Password').fill(bo.password);
    const [posted] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      signIn.getByRole('button', { name: 'Sign in and join' }).click(),
    ]);
    expect(posted.status()).toBe(410);
    await shows(page, 'This invite link no longer works');
    await snapshot(page, 'revoked-1-stale-form');
    expect((await context.cookies()).some((cookie) => cookie.name === 'zelto_session')).toBe(false);
    expect(await member(ownerP, bo.email)).toBeUndefined();

    const opened = await page.goto(link);
    expect(opened?.status()).toBe(410);
    await expect(page.locator('main p').textContent()).resolves.toBe('This invite link was revoked. Ask an admin for a new link.');
    expect(await page.locator('form').count()).toBe(0);
    await snapshot(page, 'revoked-2-link');
    expect((await t.core.members.list(ownerP, { limit: 100 })).data.map((m) => m.email)).toEqual(['owner@acme.test']);
  });

  it('accepts an email invitation as admin, creating the account with the invited address', async () => {
    const { ownerP } = await acme();
    await t.core.invitations.invite(ownerP, { email: 'ana@acme.test', role: 'admin' });
    const link = t.mailer.linkFor('ana@acme.test', 'invitation');
    expect(link.startsWith(`${baseUrl}/invitations/`)).toBe(true);
    const page = await newPage();
    expect((await page.goto(link))?.status()).toBe(200);
    await expect(page.locator('main > p').first().textContent()).resolves.toContain(
      'owner@acme.test invited ana@acme.test to join Acme as admin.',
    );
    await snapshot(page, 'invitation-1-email-link');

    const signUp = page.getByRole('form', { name: 'Create an account' });
    await expect(signUp.getByLabel('Email address').inputValue()).resolves.toBe('ana@acme.test');
    await signUp.getByLabel('Your name').fill('Ana Admin');
    await signUp.getByLabel('Choose a password').fill(PASSWORD);
    await signUp.getByRole('button', { name: 'Create account' }).click();
    await shows(page, 'Check your email');
    await page.getByLabel('6-digit code').fill(t.mailer.codeFor('ana@acme.test'));
    await snapshot(page, 'invitation-2-check-email');
    await page.getByRole('button', { name: 'Verify and accept' }).click();
    await shows(page, "You're in");
    await expect(page.getByRole('status').textContent()).resolves.toBe("You're a member of Acme as admin.");
    await snapshot(page, 'invitation-3-admin');
    expect(await member(ownerP, 'ana@acme.test')).toMatchObject({ role: 'admin', joinedVia: 'invitation' });
  });

  it('verifies through the emailed link without keeping its token in the address bar, then returns to the join page', async () => {
    const { ownerP, link } = await acme();
    const page = await newPage();
    await page.goto(link);
    const signUp = page.getByRole('form', { name: 'Create an account' });
    await signUp.getByLabel('Your name').fill('Lin');
    await signUp.getByLabel('Email address').fill('lin@else.test');
    await signUp.getByLabel('Choose a password').fill(PASSWORD);
    await signUp.getByRole('button', { name: 'Create account' }).click();
    // Let the sign-up's page arrive before leaving it for the email's link.
    await shows(page, 'Check your email');

    await page.goto(t.mailer.linkFor('lin@else.test', 'verification'));
    expect(page.url()).toBe(`${baseUrl}/verify-email`);
    await snapshot(page, 'verify-link-1-confirm');
    await page.getByRole('button', { name: 'Verify my email' }).click();
    await shows(page, 'Join Acme');
    expect(page.url()).toBe(link);
    await expect(page.locator('.signed-in').textContent()).resolves.toContain('Signed in as lin@else.test.');
    await snapshot(page, 'verify-link-2-back-to-join');
    await page.getByRole('button', { name: 'Join Acme' }).click();
    await shows(page, "You're in");
    await expect(page.getByRole('status').textContent()).resolves.toBe("You're a member of Acme as member.");
    expect(await member(ownerP, 'lin@else.test')).toMatchObject({ role: 'member', joinedVia: 'link' });
  });
  it('refuses spent quota with 402, and the billing portal link adds a card so usage is accepted', async () => {
    const { org, ownerP } = await acme();
    await t.core.operator.setQuota(org.slug, { meter: 'calls_analyzed', monthly: 1 });
    const admin = await t.core.apiKeys.create(ownerP, { name: 'Upload', role: 'admin' });
    const integration = await t.core.apiKeys.create(ownerP, { name: 'Integration', role: 'member' });
    const record = (key: string, idempotencyKey: string) =>
      fetch(`${baseUrl}/v1/usage/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [{ meter: 'calls_analyzed', quantity: 1, idempotencyKey }] }),
      });
    expect((await record(admin.secret, 'a')).status).toBe(200);
    const refused = await record(admin.secret, 'b');
    expect(refused.status).toBe(402);
    const { billingPortalUrl } = (await refused.json()) as { billingPortalUrl: string };
    expect(billingPortalUrl.startsWith(`${baseUrl}/billing/portal/`)).toBe(true);

    const page = await newPage();
    expect((await page.goto(billingPortalUrl))?.status()).toBe(200);
    await shows(page, 'Add a payment method');
    await snapshot(page, 'billing-1-portal');
    await page.getByLabel('Name on the card').fill('Ana Owner');
    await page.getByLabel('Card number').fill('4000 0000 0000 0002');
    await page.getByRole('button', { name: 'Add payment method' }).click();
    await page.getByText('The card was declined. Try another card.').first().waitFor();
    await snapshot(page, 'billing-2-declined');
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Add payment method' }).click();
    await shows(page, 'Payment method added');
    await page.getByText('Visa ending 4242').waitFor();
    await snapshot(page, 'billing-3-added');

    const accepted = await record(admin.secret, 'b');
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ accepted: 1, results: [{ overage: 1 }] });
    // The link worked once.
    expect((await page.goto(billingPortalUrl))?.status()).toBe(410);
    await shows(page, 'This billing link no longer works');

    // A member key refused for quota is told who can add a payment method.
    await t.core.operator.setPaymentMethod(org.slug, false);
    const memberRefused = await record(integration.secret, 'c');
    const memberLink = ((await memberRefused.json()) as { billingPortalUrl: string }).billingPortalUrl;
    expect(memberLink).toBe(`${baseUrl}/billing/${org.slug}`);
    expect((await page.goto(memberLink))?.status()).toBe(200);
    await shows(page, 'A payment method is needed');
    await snapshot(page, 'billing-4-ask-an-admin');
  });
});
