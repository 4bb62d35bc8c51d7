import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, MINUTE } from '../clock.js';
import { BACKENDS, countRows, expectDomainError, testCore } from '../test-support.js';
import type { TestCore } from '../testing/index.js';
import { usageRefusal } from './usage.js';

describe.each(BACKENDS)('usage (%s)', (backend) => {
  let t: TestCore;
  beforeEach(async () => {
    // 2026-03-14 12:00 UTC, mid-month.
    t = await testCore(backend);
    t.clock.set('2026-03-14T12:00:00Z');
  });
  afterEach(async () => {
    await t.close();
  });

  async function setup(quota?: { calls?: number; minutes?: number }) {
    const o = await t.organization();
    if (quota?.calls !== undefined) await t.core.operator.setQuota(o.org.slug, { meter: 'calls_analyzed', monthly: quota.calls });
    if (quota?.minutes !== undefined) await t.core.operator.setQuota(o.org.slug, { meter: 'transcript_minutes', monthly: quota.minutes });
    const key = await t.core.apiKeys.create(o.ownerP, { name: 'Call upload', role: 'member' });
    return { ...o, keyP: await t.principal(key.secret) };
  }

  const calls = (n: number, key: string, extra: Record<string, unknown> = {}) => ({
    meter: 'calls_analyzed',
    quantity: n,
    idempotencyKey: key,
    ...extra,
  });
  const minutes = (n: number | string, key: string, extra: Record<string, unknown> = {}) => ({
    meter: 'transcript_minutes',
    quantity: n,
    idempotencyKey: key,
    ...extra,
  });

  it('records events, counts a key once and answers a retry as the first time', async () => {
    const { keyP, ownerP } = await setup();
    const first = await t.core.usage.record(keyP, { events: [calls(2, 'a'), minutes('12.5', 'b')] });
    expect(first).toMatchObject({ accepted: 2, duplicates: 0, refused: 0, billingPortalUrl: null });
    expect(first.results[1]).toMatchObject({ status: 'accepted', quantity: 12.5, fromQuota: 12.5 });
    const retry = await t.core.usage.record(keyP, { events: [calls(2, 'a'), minutes('12.5', 'b')] });
    expect(retry).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(retry.results.map((r) => r.eventId)).toEqual(first.results.map((r) => r.eventId));
    const summary = await t.core.usage.summary(ownerP);
    expect(summary.meters.find((m) => m.meter === 'calls_analyzed')).toMatchObject({ used: 2 });
    expect(summary.meters.find((m) => m.meter === 'transcript_minutes')).toMatchObject({ used: 12.5 });
    expect(await countRows(t, 'usage_events')).toBe(2);
  });

  it('refuses a reused key with a different payload (409), counting nothing', async () => {
    const { keyP } = await setup();
    await t.core.usage.record(keyP, { events: [calls(1, 'k')] });
    const conflict = await t.core.usage.record(keyP, { events: [calls(5, 'k')] });
    expect(conflict).toMatchObject({ accepted: 0, refused: 1, results: [{ status: 'refused', code: 'idempotency_conflict' }] });
    expect(usageRefusal(conflict)?.code).toBe('idempotency_conflict');
    // Inside one batch too: the second use of a key is a duplicate or a conflict.
    const batch = await t.core.usage.record(keyP, { events: [calls(1, 'x'), calls(1, 'x'), calls(2, 'x')] });
    expect(batch.results.map((r) => r.status)).toEqual(['accepted', 'duplicate', 'refused']);
    expect(await countRows(t, 'usage_events')).toBe(2);
  });

  it("defaults the source to the key's integration and breaks usage down by source", async () => {
    const { keyP, ownerP } = await setup();
    await t.core.usage.record(keyP, { events: [calls(3, 'a'), calls(1, 'b', { source: 'zoom_import' })] });
    await t.core.usage.record(ownerP, { events: [calls(1, 'c')] });
    const summary = await t.core.usage.summary(ownerP);
    expect(summary.meters.find((m) => m.meter === 'calls_analyzed')?.bySource).toEqual([
      { source: 'api_call_upload', quantity: 3, events: 1 },
      { source: 'web', quantity: 1, events: 1 },
      { source: 'zoom_import', quantity: 1, events: 1 },
    ]);
  });

  it('names every bad event field and records nothing', async () => {
    const { keyP } = await setup();
    const error = await expectDomainError(
      t.core.usage.record(keyP, {
        events: [
          calls(1, 'ok'),
          calls(1.5, 'frac'),
          minutes(-2, 'neg'),
          minutes(1, 'old', { occurredAt: new Date(t.clock.now() - 36 * DAY).toISOString() }),
          minutes(1, 'future', { occurredAt: new Date(t.clock.now() + 6 * MINUTE).toISOString() }),
          { meter: 'coffee', quantity: 1, idempotencyKey: 'm' },
          minutes(1.2345, 'precise'),
        ],
      }),
      'validation_failed',
    );
    expect(error.details.issues?.map((i) => i.path).sort()).toEqual(
      [
        'events.1.quantity',
        'events.2.quantity',
        'events.3.occurredAt',
        'events.4.occurredAt',
        'events.5.meter',
        'events.6.quantity',
      ].sort(),
    );
    await expectDomainError(
      t.core.usage.record(keyP, { events: Array.from({ length: 1001 }, (_, i) => calls(1, `k${i}`)) }),
      'validation_failed',
    );
    await expectDomainError(t.core.usage.record(keyP, { events: [] }), 'validation_failed');
    expect(await countRows(t, 'usage_events')).toBe(0);
  });

  it('burns the quota, then grants by soonest expiry, then refuses with a portal link', async () => {
    const { org, keyP, ownerP } = await setup({ calls: 5 });
    await t.core.operator.addGrant(org.slug, { meter: 'calls_analyzed', amount: 3 });
    await t.core.operator.addGrant(org.slug, { meter: 'calls_analyzed', amount: 2, expires: '2026-03-20' });
    const result = await t.core.usage.record(keyP, { events: [calls(6, 'a'), calls(2, 'b'), calls(2, 'c'), calls(1, 'd')] });
    expect(result.results.map((r) => [r.status, r.fromQuota, r.fromGrants])).toEqual([
      ['accepted', 5, 1],
      ['accepted', 0, 2],
      ['accepted', 0, 2],
      ['refused', 0, 0],
    ]);
    expect(result.results[3]?.code).toBe('quota_exhausted');
    expect(result.results[3]?.message).toContain('Add a payment method');
    // A member key is pointed at who can add a payment method; an admin gets a portal session.
    expect(result.billingPortalUrl).toBe(`http://zelto.test/billing/${org.slug}`);
    const refusedAsOwner = await t.core.usage.record(ownerP, { events: [calls(1, 'e')] });
    expect(refusedAsOwner.billingPortalUrl).toMatch(/^http:\/\/zelto\.test\/billing\/portal\/[\w-]+$/);
    const refusal = usageRefusal(refusedAsOwner);
    expect(refusal?.code).toBe('quota_exhausted');
    expect(refusal?.details.billingPortalUrl).toBe(refusedAsOwner.billingPortalUrl);
    const grants = await t.database.db.selectFrom('grants').select(['amount', 'remaining', 'expires_at']).orderBy('amount').execute();
    expect(grants.map((g) => g.remaining)).toEqual([0, 0]);
    const summary = await t.core.usage.summary(ownerP);
    expect(summary.meters[0]).toMatchObject({ used: 10, quota: 5, quotaRemaining: 0, grantsRemaining: 0, remaining: 0, overage: 0 });
  });

  it('continues as billable overage once a payment method is on file', async () => {
    const { org, keyP, ownerP } = await setup({ minutes: 1 });
    expect((await t.core.usage.record(keyP, { events: [minutes('1.5', 'a')] })).refused).toBe(1);
    const portal = await t.core.billing.openPortal(ownerP);
    const token = portal.url.split('/billing/portal/')[1] as string;
    expect((await t.core.billing.portalSession({ token })).organization.slug).toBe(org.slug);
    await t.core.billing.addPaymentMethod({ token, cardholder: 'Ana Owner', cardNumber: '4242 4242 4242 4242' });
    const after = await t.core.usage.record(keyP, { events: [minutes('1.5', 'a')] });
    expect(after.results[0]).toMatchObject({ status: 'accepted', fromQuota: 1, overage: 0.5 });
    const summary = await t.core.usage.summary(ownerP);
    expect(summary).toMatchObject({ paymentMethod: true });
    expect(summary.meters.find((m) => m.meter === 'transcript_minutes')).toMatchObject({ used: 1.5, overage: 0.5, remaining: 0 });
    const [added] = (await t.core.audit.list(ownerP, { action: 'billing.payment_method_added' })).data;
    expect(added?.data).toMatchObject({ after: 'Visa ending 4242' });
  });

  it('keeps portal sessions single-use and short-lived, and refuses bad cards', async () => {
    const { ownerP } = await setup();
    const token = (await t.core.billing.openPortal(ownerP)).url.split('/billing/portal/')[1] as string;
    const bad = await expectDomainError(
      t.core.billing.addPaymentMethod({ token, cardholder: 'A', cardNumber: '4242 4242 4242 4241' }),
      'validation_failed',
    );
    expect(bad.message).toContain('not valid');
    await expectDomainError(
      t.core.billing.addPaymentMethod({ token, cardholder: 'A', cardNumber: '4000 0000 0000 0002' }),
      'card_declined',
    );
    await t.core.billing.addPaymentMethod({ token, cardholder: 'A', cardNumber: '5555 5555 5555 4444' });
    await expectDomainError(
      t.core.billing.addPaymentMethod({ token, cardholder: 'A', cardNumber: '4242424242424242' }),
      'portal_session_expired',
    );
    const late = (await t.core.billing.openPortal(ownerP)).url.split('/billing/portal/')[1] as string;
    t.clock.advance(31 * MINUTE);
    await expectDomainError(t.core.billing.portalSession({ token: late }), 'portal_session_expired');
    await expectDomainError(t.core.billing.portalSession({ token: 'nope' }), 'portal_session_not_found');
  });

  it('stores fractional minutes exactly', async () => {
    const { keyP, ownerP } = await setup();
    await t.core.usage.record(keyP, { events: Array.from({ length: 10 }, (_, i) => minutes(0.1, `m${i}`)) });
    const summary = await t.core.usage.summary(ownerP);
    expect(summary.meters.find((m) => m.meter === 'transcript_minutes')?.used).toBe(1);
  });

  it('alerts the owner at 80% and 100% of the allowance, once per period', async () => {
    const { org, keyP, ownerP } = await setup({ calls: 10 });
    await t.core.usage.record(keyP, { events: [calls(7, 'a')] });
    expect(t.mailer.sent.filter((m) => m.kind === 'usage_alert')).toHaveLength(0);
    await t.core.usage.record(keyP, { events: [calls(1, 'b')] });
    await t.core.usage.record(keyP, { events: [calls(1, 'c')] });
    expect(t.mailer.sent.filter((m) => m.kind === 'usage_alert').map((m) => m.subject)).toEqual(['Acme: 80% of calls_analyzed used']);
    await t.core.usage.record(keyP, { events: [calls(1, 'd'), calls(1, 'e')] });
    await t.core.usage.record(keyP, { events: [calls(1, 'f')] });
    const alerts = t.mailer.sent.filter((m) => m.kind === 'usage_alert');
    expect(alerts.map((m) => [m.to, m.subject])).toEqual([
      ['owner@acme.test', 'Acme: 80% of calls_analyzed used'],
      ['owner@acme.test', 'Acme: 100% of calls_analyzed used'],
    ]);
    const events = await t.core.audit.list(ownerP, { action: 'usage.threshold_reached' });
    expect(events.data.map((e) => e.data?.percent)).toEqual([100, 80]);
    // Next month starts fresh.
    t.clock.set('2026-04-02T12:00:00Z');
    await t.core.usage.record(keyP, { events: [calls(9, 'april')] });
    expect(t.mailer.sent.filter((m) => m.kind === 'usage_alert')).toHaveLength(3);
    expect(org.id).toBeTruthy();
  });

  it('applies a quota change to the current month at once', async () => {
    const { org, keyP, ownerP } = await setup({ calls: 2 });
    await t.core.usage.record(keyP, { events: [calls(2, 'a')] });
    expect((await t.core.usage.record(keyP, { events: [calls(1, 'b')] })).refused).toBe(1);
    await t.core.operator.setQuota(org.slug, { meter: 'calls_analyzed', monthly: 5 });
    expect((await t.core.usage.record(keyP, { events: [calls(1, 'b')] })).accepted).toBe(1);
    expect((await t.core.usage.summary(ownerP)).meters[0]).toMatchObject({ quota: 5, used: 3, quotaRemaining: 2 });
    const [event] = (await t.core.audit.list(ownerP, { action: 'quota.updated' })).data;
    expect(event?.data).toEqual({ before: 2, after: 5 });
  });

  it('lets expired grants lapse', async () => {
    const { org, keyP } = await setup({ calls: 0 });
    await t.core.operator.addGrant(org.slug, { meter: 'calls_analyzed', amount: 5, expires: '2026-03-15' });
    expect((await t.core.usage.record(keyP, { events: [calls(1, 'a')] })).accepted).toBe(1);
    t.clock.set('2026-03-16T00:30:00Z');
    expect((await t.core.usage.record(keyP, { events: [calls(1, 'b')] })).refused).toBe(1);
    await expectDomainError(
      t.core.operator.addGrant(org.slug, { meter: 'calls_analyzed', amount: 1, expires: '2026-03-01' }),
      'validation_failed',
    );
  });

  it('reports per local day with the day-over-day change, across DST, and re-buckets on a timezone change', async () => {
    const { keyP, ownerP } = await setup({ calls: 1000 });
    await t.core.organizations.update(ownerP, { timezone: 'America/New_York' });
    t.clock.set('2026-03-10T12:00:00Z');
    // 2026-03-08 is New York's 23-hour day. 04:59Z on the 8th is still the 7th locally (EST).
    const at = (iso: string) => ({ occurredAt: iso });
    await t.core.usage.record(keyP, {
      events: [
        calls(1, 'a', at('2026-03-08T04:59:00Z')),
        calls(2, 'b', at('2026-03-08T05:00:00Z')),
        calls(4, 'c', at('2026-03-09T03:59:00Z')),
        calls(8, 'd', at('2026-03-09T04:00:00Z')),
      ],
    });
    const ny = await t.core.usage.daily(ownerP, { from: '2026-03-07', to: '2026-03-09' });
    expect(ny.days.map((d) => [d.date, d.values.calls_analyzed])).toEqual([
      ['2026-03-07', 1],
      ['2026-03-08', 6],
      ['2026-03-09', 8],
    ]);
    expect(ny.days[1]?.change.calls_analyzed).toEqual({ delta: 5, percent: 500 });
    expect(ny.days[0]?.change.calls_analyzed).toEqual({ delta: 1, percent: null });

    await t.core.organizations.update(ownerP, { timezone: 'Asia/Kathmandu' });
    const ktm = await t.core.usage.daily(ownerP, { from: '2026-03-07', to: '2026-03-09' });
    // +05:45: local March 8 runs from 2026-03-07T18:15Z to 2026-03-08T18:15Z.
    expect(ktm.days.map((d) => [d.date, d.values.calls_analyzed])).toEqual([
      ['2026-03-07', 0],
      ['2026-03-08', 3],
      ['2026-03-09', 12],
    ]);
    const total = (days: typeof ny.days) => days.reduce((s, d) => s + d.values.calls_analyzed, 0);
    expect(total(ktm.days)).toBe(total(ny.days));
    await t.core.usage.record(keyP, { events: [calls(16, 'e', at('2026-03-08T18:14:59Z')), calls(32, 'f', at('2026-03-08T18:15:00Z'))] });
    const edge = await t.core.usage.daily(ownerP, { from: '2026-03-08', to: '2026-03-09' });
    expect(edge.days.map((d) => d.values.calls_analyzed)).toEqual([19, 44]);
    await expectDomainError(t.core.usage.daily(ownerP, { from: '2026-03-09', to: '2026-03-01' }), 'validation_failed');
    await expectDomainError(t.core.usage.daily(ownerP, { from: 'yesterday' }), 'validation_failed');
  });

  it('counts usage toward the local month it happened in', async () => {
    const { keyP, ownerP } = await setup({ calls: 1000 });
    await t.core.organizations.update(ownerP, { timezone: 'Europe/Paris' });
    t.clock.set('2026-04-01T00:30:00Z'); // 02:30 on April 1st in Paris
    await t.core.usage.record(keyP, {
      events: [calls(1, 'march', { occurredAt: '2026-03-31T21:00:00Z' }), calls(2, 'april', { occurredAt: '2026-03-31T22:30:00Z' })],
    });
    const april = await t.core.usage.summary(ownerP);
    expect(april.period).toMatchObject({ label: '2026-04', start: '2026-03-31T22:00:00.000Z', timezone: 'Europe/Paris' });
    expect(april.meters[0]?.used).toBe(2);
    expect((await t.core.usage.summary(ownerP, { period: '2026-03' })).meters[0]?.used).toBe(1);
  });

  it('never admits more than the limit when batches race on one pool', async () => {
    const { keyP, ownerP } = await setup({ calls: 50 });
    const batches = Array.from({ length: 12 }, (_, b) =>
      t.core.usage.record(keyP, { events: Array.from({ length: 10 }, (_, i) => calls(1, `b${b}-${i}`)) }),
    );
    const results = await Promise.all(batches);
    expect(results.reduce((s, r) => s + r.accepted, 0)).toBe(50);
    expect((await t.core.usage.summary(ownerP)).meters[0]).toMatchObject({ used: 50, quotaRemaining: 0 });
    expect(await countRows(t, 'usage_events')).toBe(50);
  });

  it('lets members record but not read usage', async () => {
    const { keyP } = await setup();
    await expectDomainError(t.core.usage.summary(keyP), 'permission_denied');
    await expectDomainError(t.core.usage.daily(keyP), 'permission_denied');
    await expectDomainError(t.core.billing.openPortal(keyP), 'permission_denied');
  });
});
