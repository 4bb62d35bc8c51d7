/**
 * Crash safety: `zelto serve` is killed with SIGKILL in the middle of heavy ingestion and
 * restarted. Every event the server acknowledged is there exactly once, and sending every
 * batch again (acknowledged or not) counts nothing twice.
 */
import { openSqlite } from '@zelto/core';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfterEach, createAcme, serveZelto, tempDir, zelto } from './zelto-process.js';

const CLIENTS = 4;
const BATCH = 200;

describe('crash safety', () => {
  const cleanups = cleanupsAfterEach(afterEach);

  it('keeps every acknowledged event once across a SIGKILL, and retries count nothing twice', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const env = { ZELTO_DB: `${tmp.dir}/zelto.db` };
    const { ownerKey } = await createAcme(env);
    await zelto(['quota', 'set', '--org', 'acme', '--meter', 'calls_analyzed', '--monthly', '100000000'], env);

    const batch = (client: number, n: number) =>
      Array.from({ length: BATCH }, (_, i) => ({ meter: 'calls_analyzed', quantity: 1, idempotencyKey: `c${client}-b${n}-e${i}` }));
    const post = (url: string, events: unknown[]) =>
      fetch(`${url}/v1/usage/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });

    const first = await serveZelto(env);
    const acknowledged: string[][] = [];
    const attempted: unknown[][] = [];
    let killed = false;
    const clients = Array.from({ length: CLIENTS }, async (_, client) => {
      for (let n = 0; !killed; n++) {
        const events = batch(client, n);
        attempted.push(events);
        try {
          const response = await post(first.url, events);
          if (response.status === 200 && ((await response.json()) as { accepted: number }).accepted === BATCH) {
            acknowledged.push(events.map((e) => e.idempotencyKey));
          }
        } catch {
          return; // the server is gone
        }
      }
    });
    // Let ingestion run hot, then pull the plug.
    while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 20));
    killed = true;
    expect(await first.stop('SIGKILL')).toBeNull();
    await Promise.all(clients);

    const second = await serveZelto(env);
    cleanups.push(() => second.stop());
    const db = openSqlite(env.ZELTO_DB);
    cleanups.push(() => db.close());
    const stored = new Map(
      (await db.db.selectFrom('usage_events').select(['idempotency_key']).execute()).map((r) => [r.idempotency_key, true] as const),
    );
    const count = async () =>
      Number(
        (
          await db.db
            .selectFrom('usage_events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    for (const keys of acknowledged) for (const key of keys) expect(stored.has(key), key).toBe(true);
    // Batches are atomic: a batch is there whole or not at all.
    for (const events of attempted) {
      const present = (events as Array<{ idempotencyKey: string }>).filter((e) => stored.has(e.idempotencyKey)).length;
      expect([0, BATCH]).toContain(present);
    }
    const before = await count();
    expect(before).toBeGreaterThanOrEqual(acknowledged.length * BATCH);

    // Every client retries every batch it ever sent.
    let duplicates = 0;
    let accepted = 0;
    for (const events of attempted) {
      const response = await post(second.url, events);
      expect(response.status).toBe(200);
      const result = (await response.json()) as { accepted: number; duplicates: number };
      duplicates += result.duplicates;
      accepted += result.accepted;
    }
    expect(duplicates).toBe(before);
    expect(await count()).toBe(attempted.length * BATCH);
    expect(accepted + duplicates).toBe(attempted.length * BATCH);
    const usage = await fetch(`${second.url}/v1/usage`, { headers: { authorization: `Bearer ${ownerKey}` } });
    expect(((await usage.json()) as { meters: Array<{ used: number }> }).meters[0]?.used).toBe(attempted.length * BATCH);
  });
});
