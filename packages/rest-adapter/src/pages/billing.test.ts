import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pagesHarness } from '../test-support.js';

type Harness = Awaited<ReturnType<typeof pagesHarness>>;

describe('the billing portal page', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await pagesHarness({ orgName: '<b>Acme</b>' });
  });
  afterEach(async () => {
    await h.t.close();
  });

  async function portalPath() {
    return new URL((await h.t.core.billing.openPortal(h.ownerP)).url).pathname;
  }
  const paymentMethod = async () => (await h.t.core.usage.summary(h.ownerP)).paymentMethod;

  it('refuses a post without the CSRF token and changes nothing', async () => {
    const client = h.client();
    const path = await portalPath();
    const page = await client.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('&lt;b&gt;Acme&lt;/b&gt;');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const refused = await client.post(path, { _csrf: '', cardholder: 'Ana', cardNumber: '4242424242424242' });
    expect(refused.status).toBe(403);
    expect(await paymentMethod()).toBe(false);
    const accepted = await client.post(path, { cardholder: 'Ana', cardNumber: '4242 4242 4242 4242' });
    expect(accepted.status).toBe(200);
    expect(accepted.text).toContain('Visa ending 4242');
    expect(await paymentMethod()).toBe(true);
  });

  it('names bad fields, and answers unknown or used links as gone', async () => {
    const client = h.client();
    const path = await portalPath();
    await client.get(path);
    const bad = await client.post(path, { cardholder: '', cardNumber: '1234' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('aria-invalid="true"');
    expect(await paymentMethod()).toBe(false);
    expect((await client.get('/billing/portal/not-a-token')).status).toBe(404);
    await client.post(path, { cardholder: 'Ana', cardNumber: '4242424242424242' });
    expect((await client.get(path)).status).toBe(410);
  });
});
