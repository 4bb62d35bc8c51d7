import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfterEach, createAcme, serveZelto, tempDir, zelto } from './zelto-process.js';

describe('usage and billing through the operator commands and REST', () => {
  const cleanups = cleanupsAfterEach(afterEach);

  it('refuses spent quota with 402 and a portal link, then continues as overage once a payment method is on', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const env = { ZELTO_DB: `${tmp.dir}/zelto.db` };
    const { ownerKey } = await createAcme(env);
    expect((await zelto(['quota', 'set', '--org', 'acme', '--meter', 'transcript_minutes', '--monthly', '10'], env)).stdout).toContain(
      'transcript_minutes quota is now 10 per month',
    );
    const grant = await zelto(
      ['grant', 'add', '--org', 'acme', '--meter', 'transcript_minutes', '--amount', '2.5', '--expires', '2099-12-31', '--json'],
      env,
    );
    expect(JSON.parse(grant.stdout)).toMatchObject({ amount: 2.5, meter: 'transcript_minutes' });
    expect((await zelto(['quota', 'set', '--org', 'acme', '--meter', 'coffee', '--monthly', '1'], env)).code).toBe(1);
    expect((await zelto(['billing', 'payment-method', '--org', 'acme'], env)).code).toBe(2);

    const served = await serveZelto(env);
    cleanups.push(() => served.stop());
    const record = (key: string, quantity: string) =>
      fetch(`${served.url}/v1/usage/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [{ meter: 'transcript_minutes', quantity, idempotencyKey: key }] }),
      });
    const first = await record('a', '12.5');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: 1, results: [{ fromQuota: 10, fromGrants: 2.5, overage: 0 }] });
    const refused = await record('b', '0.001');
    expect(refused.status).toBe(402);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await refused.json()) as { code: string; billingPortalUrl: string; results: unknown[] };
    expect(problem.code).toBe('quota_exhausted');
    expect(problem.billingPortalUrl).toMatch(/\/billing\/portal\/[\w-]+$/);
    expect(problem.results).toHaveLength(1);

    expect((await zelto(['billing', 'payment-method', '--org', 'acme', '--on'], env)).code).toBe(0);
    const after = await record('b', '0.001');
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ accepted: 1, results: [{ overage: 0.001 }] });
    const shown = JSON.parse((await zelto(['usage', 'show', '--org', 'acme', '--json'], env)).stdout) as {
      paymentMethod: boolean;
      meters: Array<{ meter: string; used: number; overage: number; bySource: Array<{ source: string }> }>;
    };
    expect(shown.paymentMethod).toBe(true);
    expect(shown.meters.find((m) => m.meter === 'transcript_minutes')).toMatchObject({
      used: 12.501,
      overage: 0.001,
      bySource: [{ source: 'api_owner_key' }],
    });
    const human = await zelto(['usage', 'show', '--org', 'acme'], env);
    expect(human.stdout).toContain('payment method on file');
  });
});
