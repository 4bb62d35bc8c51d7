/**
 * The hard limit under real concurrency: several OS processes record usage at once against
 * one organization, on one SQLite file and on PostgreSQL. Together they never admit more than
 * the quota plus grants.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { BACKENDS, countRows, testCore } from '../src/test-support.js';
import type { TestCore } from '../src/testing/index.js';

const exec = promisify(execFile);
const worker = new URL('./race-worker.mjs', import.meta.url).pathname;
const PROCESSES = 5;

describe.each(BACKENDS)('the hard limit across %s processes', (backend) => {
  let t: TestCore;
  let dir: string | undefined;
  afterEach(async () => {
    await t.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`never admits more than the allowance when ${PROCESSES} processes race`, async () => {
    dir = backend === 'sqlite' ? mkdtempSync(join(tmpdir(), 'zelto-usage-race-')) : undefined;
    t = await testCore(backend, { clock: new ManualClock(Date.now()), ...(dir ? { sqliteFile: join(dir, 'zelto.db') } : {}) });
    const { org, ownerP } = await t.organization();
    await t.core.operator.setQuota(org.slug, { meter: 'calls_analyzed', monthly: 120 });
    await t.core.operator.addGrant(org.slug, { meter: 'calls_analyzed', amount: 30 });
    const key = await t.core.apiKeys.create(ownerP, { name: 'racer', role: 'member' });
    // Each process tries 8 batches of 10 calls: 400 attempted against an allowance of 150.
    const startAt = String(Date.now() + 1500);
    const outputs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, p) => exec(process.execPath, [worker, t.target, 'record', key.secret, `8x10:p${p}`, startAt])),
    );
    const results = outputs.map((o) => JSON.parse(o.stdout) as { ok: boolean; result?: { accepted: number }; message?: string });
    for (const r of results) expect(r.ok, r.message).toBe(true);
    const accepted = results.reduce((sum, r) => sum + (r.result?.accepted ?? 0), 0);
    expect(accepted).toBe(150);
    expect(await countRows(t, 'usage_events')).toBe(150);
    const summary = await t.core.usage.summary(ownerP);
    expect(summary.meters[0]).toMatchObject({ used: 150, quotaRemaining: 0, grantsRemaining: 0, overage: 0 });
    // Every process got some of it: they really raced.
    expect(results.filter((r) => (r.result?.accepted ?? 0) > 0).length).toBeGreaterThan(1);
  });
});
