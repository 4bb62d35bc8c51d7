import { sql } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import { DAY, MINUTE, toIso } from '../clock.js';
import type { CoreContext, Db } from '../context.js';
import { sha256 } from '../crypto.js';
import type { Meter, UsageEventsTable, UsagePeriodsTable, UsageRollupsTable } from '../db/schema.js';
import { DomainError, type FieldIssue } from '../errors.js';
import { usageAlertEmail } from '../mail/templates.js';
import { authorize } from '../permissions.js';
import { type OrgPrincipal, type Principal, SYSTEM } from '../principal.js';
import { fieldIssues, parseInput } from '../validation.js';
import { allocate, applyAllocation, type Balance, burnDownOrder } from './burn-down.js';
import { fromMilli, toMilli } from './quantity.js';
import {
  type DailyUsage,
  dailyUsageInput,
  type EventResult,
  MAX_AGE_DAYS,
  MAX_AHEAD_MINUTES,
  METERS,
  type RecordUsageResult,
  UNITS,
  type UsageSummary,
  usageBatchShape,
  usageEventInput,
  usageSummaryInput,
} from './schema.js';
import { addDays, bucketStart, isLocalDate, localDate, localDays, periodBounds, periodLookup, periodOf } from './time.js';

/** Quotas of organizations the operator has not set a plan for (thousandths per month). */
export interface DefaultQuotas {
  calls_analyzed: number;
  transcript_minutes: number;
}

interface NormalizedEvent {
  index: number;
  meter: Meter;
  milli: number;
  source: string;
  occurredAt: number;
  key: string;
  hash: string;
}

/** The default source of usage recorded with an API key: `api_` and the key's name. */
export function sourceOfKey(keyName: string): string {
  const words = keyName
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `api_${words || 'key'}`.slice(0, 64);
}

/** Takes the org's usage lock: one ingestion at a time per organization, on every instance. */
export async function lockBilling(ctx: CoreContext, trx: Db, orgId: string) {
  await trx
    .insertInto('billing_accounts')
    .values({ org_id: orgId, payment_method: 0, payment_method_label: null, updated_at: ctx.clock.now() })
    .onConflict((oc) => oc.column('org_id').doNothing())
    .execute();
  let query = trx.selectFrom('billing_accounts').selectAll().where('org_id', '=', orgId);
  // SQLite's BEGIN IMMEDIATE already holds the database's write lock; PostgreSQL locks the row.
  if (ctx.dialect === 'postgres') query = query.forUpdate();
  return query.executeTakeFirstOrThrow();
}

/** Ensures a period row exists (quota taken from the plan) and returns it. */
async function periodRow(trx: Db, orgId: string, meter: Meter, period: string, defaults: DefaultQuotas): Promise<UsagePeriodsTable> {
  const existing = await trx
    .selectFrom('usage_periods')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('meter', '=', meter)
    .where('period', '=', period)
    .executeTakeFirst();
  if (existing) return existing;
  const plan = await trx.selectFrom('quotas').select('monthly').where('org_id', '=', orgId).where('meter', '=', meter).executeTakeFirst();
  const row: UsagePeriodsTable = {
    org_id: orgId,
    meter,
    period,
    quota: plan?.monthly ?? defaults[meter],
    used: 0,
    from_quota: 0,
    from_grants: 0,
    overage: 0,
    notified_80: 0,
    notified_100: 0,
  };
  await trx.insertInto('usage_periods').values(row).execute();
  return row;
}

function emptyResult(e: NormalizedEvent, status: EventResult['status'], code: string | null, message: string | null): EventResult {
  return {
    idempotencyKey: e.key,
    status,
    eventId: null,
    meter: e.meter,
    quantity: fromMilli(e.milli),
    fromQuota: 0,
    fromGrants: 0,
    overage: 0,
    code,
    message,
  };
}

function storedResult(
  row: Pick<UsageEventsTable, 'id' | 'idempotency_key' | 'meter' | 'quantity' | 'from_quota' | 'from_grants' | 'overage'>,
  status: EventResult['status'],
): EventResult {
  return {
    idempotencyKey: row.idempotency_key,
    status,
    eventId: row.id,
    meter: row.meter,
    quantity: fromMilli(row.quantity),
    fromQuota: fromMilli(row.from_quota),
    fromGrants: fromMilli(row.from_grants),
    overage: fromMilli(row.overage),
    code: null,
    message: null,
  };
}

/**
 * A batch in which nothing was accepted, as the error adapters answer with (402 for quota,
 * 409 for an idempotency key reused with another payload); undefined when something counted.
 */
export function usageRefusal(result: RecordUsageResult): DomainError | undefined {
  if (result.accepted + result.duplicates > 0 || result.refused === 0) return undefined;
  const first = result.results.find((r) => r.status === 'refused');
  if (first?.code === 'idempotency_conflict') {
    return new DomainError('idempotency_conflict', first.message ?? 'An idempotency key was reused with a different payload.', {
      results: result.results,
    });
  }
  return new DomainError('quota_exhausted', first?.message ?? 'The quota is spent.', {
    ...(result.billingPortalUrl ? { billingPortalUrl: result.billingPortalUrl } : {}),
    results: result.results,
  });
}

export interface UsageDeps {
  defaultQuotas: DefaultQuotas;
  /** A link where a person adds a payment method (for refusals), given the caller. */
  portalLinkFor(principal: OrgPrincipal): Promise<string>;
}

export function usageUseCases(ctx: CoreContext, deps: UsageDeps) {
  function normalize(principal: OrgPrincipal, input: unknown): NormalizedEvent[] {
    const batch = parseInput(usageBatchShape, input);
    const now = ctx.clock.now();
    const defaultSource = principal.kind === 'api_key' ? sourceOfKey(principal.keyName) : 'web';
    const issues: FieldIssue[] = [];
    const events: NormalizedEvent[] = [];
    batch.events.forEach((raw, index) => {
      const parsed = usageEventInput.safeParse(raw);
      if (!parsed.success) {
        for (const issue of fieldIssues(parsed.error))
          issues.push({ path: `events.${index}${issue.path === '(body)' ? '' : `.${issue.path}`}`, message: issue.message });
        return;
      }
      const e = parsed.data;
      const quantity = toMilli(e.meter, e.quantity);
      if (!quantity.ok) issues.push({ path: `events.${index}.quantity`, message: quantity.message });
      const occurredAt = e.occurredAt === undefined ? now : Date.parse(e.occurredAt);
      if (occurredAt < now - MAX_AGE_DAYS * DAY) {
        issues.push({ path: `events.${index}.occurredAt`, message: `Usage older than ${MAX_AGE_DAYS} days cannot be recorded.` });
      }
      if (occurredAt > now + MAX_AHEAD_MINUTES * MINUTE) {
        issues.push({ path: `events.${index}.occurredAt`, message: `occurredAt is more than ${MAX_AHEAD_MINUTES} minutes in the future.` });
      }
      const source = e.source ?? defaultSource;
      const milli = quantity.ok ? quantity.milli : 0;
      // A retry without occurredAt must match: hash what the caller sent, not the default "now".
      const hash = sha256(JSON.stringify([e.meter, milli, source, e.occurredAt === undefined ? null : occurredAt]));
      events.push({ index, meter: e.meter, milli, source, occurredAt, key: e.idempotencyKey, hash });
    });
    if (issues.length > 0) {
      throw new DomainError(
        'validation_failed',
        `The batch has invalid events; nothing was recorded. ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        {
          issues,
        },
      );
    }
    return events;
  }

  /** Emails the owner that a meter crossed 80% or 100% of its allowance (sent at most once per period). */
  async function notifyOwner(orgId: string, organizationName: string, alerts: Array<{ meter: Meter; percent: number }>): Promise<void> {
    const owner = await ctx.db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('users.email')
      .where('memberships.org_id', '=', orgId)
      .where('memberships.role', '=', 'owner')
      .executeTakeFirst();
    if (!owner) return;
    for (const alert of alerts) {
      await ctx.mailer
        .send(
          usageAlertEmail({
            to: owner.email,
            organizationName,
            meter: alert.meter,
            percent: alert.percent,
            portalHint:
              alert.percent >= 100
                ? 'New usage is refused until next month unless a payment method is on file (usage then continues as billable overage). Open the billing portal from Zelto to add one.'
                : 'Add a payment method or ask for a grant before it runs out.',
          }),
        )
        .catch(() => {
          // The alert is in the audit log already; a lost email must not fail the ingestion.
        });
    }
  }

  return {
    /**
     * Records a batch of usage events. Each counts once per idempotency key; each is drawn
     * from the monthly quota, then grants (soonest expiry first), then overage when a
     * payment method is on file; otherwise it is refused whole. The org's billing row is
     * locked for the batch, so concurrent batches on any number of instances never admit more
     * than the allowance.
     */
    async record(principal: Principal, input: unknown): Promise<RecordUsageResult> {
      const org = authorize(principal, 'usage.record');
      const events = normalize(org, input);
      const now = ctx.clock.now();
      const alerts: Array<{ meter: Meter; percent: number }> = [];

      const results = await ctx.db.transaction().execute(async (trx) => {
        const billing = await lockBilling(ctx, trx, org.orgId);
        const { timezone, name } = await trx
          .selectFrom('organizations')
          .select(['timezone', 'name'])
          .where('id', '=', org.orgId)
          .executeTakeFirstOrThrow();
        const periodFor = periodLookup(timezone);

        const keys = [...new Set(events.map((e) => e.key))];
        const known = new Map<string, UsageEventsTable>();
        for (let i = 0; i < keys.length; i += 500) {
          const rows = await trx
            .selectFrom('usage_events')
            .selectAll()
            .where('org_id', '=', org.orgId)
            .where('idempotency_key', 'in', keys.slice(i, i + 500))
            .execute();
          for (const row of rows) known.set(row.idempotency_key, row);
        }

        const grantRows = await trx
          .selectFrom('grants')
          .select(['id', 'meter', 'remaining', 'expires_at'])
          .where('org_id', '=', org.orgId)
          .where('remaining', '>', 0)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
          .execute();
        const grantsByMeter = new Map<Meter, ReturnType<typeof burnDownOrder>>();
        for (const meter of METERS) {
          grantsByMeter.set(
            meter,
            burnDownOrder(
              grantRows.filter((g) => g.meter === meter).map((g) => ({ id: g.id, remaining: g.remaining, expiresAt: g.expires_at })),
            ),
          );
        }
        const grantsAtStart = new Map(grantRows.map((g) => [g.id, g.remaining]));

        const periods = new Map<
          string,
          UsagePeriodsTable & {
            balance: Balance;
            delta: { used: number; fromQuota: number; fromGrants: number; overage: number };
            refused: boolean;
          }
        >();
        const inserted: UsageEventsTable[] = [];
        const results: EventResult[] = [];
        const seen = new Map<string, UsageEventsTable | 'refused'>();

        for (const e of events) {
          const prior = known.get(e.key) ?? seen.get(e.key);
          if (prior !== undefined) {
            if (prior === 'refused') {
              results.push(
                emptyResult(
                  e,
                  'refused',
                  'idempotency_conflict',
                  'This idempotency key was already used in this batch by a refused event.',
                ),
              );
            } else if (prior.payload_hash === e.hash) {
              results.push(storedResult(prior, 'duplicate'));
            } else {
              results.push(
                emptyResult(
                  e,
                  'refused',
                  'idempotency_conflict',
                  `The idempotency key "${e.key}" was already used for a different event; use a new key for new usage.`,
                ),
              );
            }
            continue;
          }
          const period = periodFor(e.occurredAt);
          const periodKey = `${e.meter}:${period}`;
          let p = periods.get(periodKey);
          if (!p) {
            const row = await periodRow(trx, org.orgId, e.meter, period, deps.defaultQuotas);
            p = {
              ...row,
              balance: {
                quotaLeft: row.quota - row.from_quota,
                grants: grantsByMeter.get(e.meter) ?? [],
                paymentMethod: billing.payment_method === 1,
              },
              delta: { used: 0, fromQuota: 0, fromGrants: 0, overage: 0 },
              refused: false,
            };
            periods.set(periodKey, p);
          }
          const allocation = allocate(e.milli, p.balance);
          if (!allocation.ok) {
            p.refused = true;
            seen.set(e.key, 'refused');
            results.push(
              emptyResult(
                e,
                'refused',
                'quota_exhausted',
                `${e.meter} for ${period} is used up (${fromMilli(allocation.available)} ${UNITS[e.meter]} left, ${fromMilli(e.milli)} needed) and no payment method is on file. Add a payment method in the billing portal to continue.`,
              ),
            );
            continue;
          }
          applyAllocation(p.balance, allocation);
          const fromGrants = allocation.fromGrants.reduce((sum, g) => sum + g.amount, 0);
          p.delta.used += e.milli;
          p.delta.fromQuota += allocation.fromQuota;
          p.delta.fromGrants += fromGrants;
          p.delta.overage += allocation.overage;
          const row: UsageEventsTable = {
            id: ctx.ids.id('use'),
            org_id: org.orgId,
            meter: e.meter,
            quantity: e.milli,
            source: e.source,
            occurred_at: e.occurredAt,
            recorded_at: now,
            idempotency_key: e.key,
            payload_hash: e.hash,
            from_quota: allocation.fromQuota,
            from_grants: fromGrants,
            overage: allocation.overage,
            period,
          };
          inserted.push(row);
          seen.set(e.key, row);
          results.push(storedResult(row, 'accepted'));
        }

        for (let i = 0; i < inserted.length; i += 250)
          await trx
            .insertInto('usage_events')
            .values(inserted.slice(i, i + 250))
            .execute();

        const rollups = new Map<string, UsageRollupsTable>();
        for (const row of inserted) {
          const bucket = bucketStart(row.occurred_at);
          const key = `${bucket}:${row.meter}:${row.source}`;
          const r = rollups.get(key) ?? {
            org_id: org.orgId,
            meter: row.meter,
            bucket_start: bucket,
            source: row.source,
            quantity: 0,
            events: 0,
          };
          r.quantity += row.quantity;
          r.events += 1;
          rollups.set(key, r);
        }
        const rollupRows = [...rollups.values()];
        for (let i = 0; i < rollupRows.length; i += 250) {
          await trx
            .insertInto('usage_rollups')
            .values(rollupRows.slice(i, i + 250))
            .onConflict((oc) =>
              oc.columns(['org_id', 'bucket_start', 'meter', 'source']).doUpdateSet((eb) => ({
                quantity: eb('usage_rollups.quantity', '+', eb.ref('excluded.quantity')),
                events: eb('usage_rollups.events', '+', eb.ref('excluded.events')),
              })),
            )
            .execute();
        }

        for (const grant of [...grantsByMeter.values()].flat()) {
          const drawn = (grantsAtStart.get(grant.id) ?? 0) - grant.remaining;
          if (drawn > 0) {
            await trx
              .updateTable('grants')
              .set((eb) => ({ remaining: eb('remaining', '-', drawn) }))
              .where('id', '=', grant.id)
              .execute();
          }
        }

        const grantsLeft = (meter: Meter) => (grantsByMeter.get(meter) ?? []).reduce((sum, g) => sum + g.remaining, 0);
        for (const p of periods.values()) {
          const after = {
            used: p.used + p.delta.used,
            from_quota: p.from_quota + p.delta.fromQuota,
            from_grants: p.from_grants + p.delta.fromGrants,
            overage: p.overage + p.delta.overage,
          };
          // Thresholds of the allowance (quota plus the grants this period can draw), once per period.
          const allowance = p.quota + after.from_grants + grantsLeft(p.meter);
          const drawn = after.from_quota + after.from_grants;
          const ratio = allowance > 0 ? drawn / allowance : p.refused ? 1 : 0;
          const notify80 = p.notified_80 === 0 && ratio >= 0.8;
          const notify100 = p.notified_100 === 0 && (ratio >= 1 || p.refused);
          await trx
            .updateTable('usage_periods')
            .set({ ...after, ...(notify80 ? { notified_80: 1 } : {}), ...(notify100 ? { notified_100: 1 } : {}) })
            .where('org_id', '=', org.orgId)
            .where('meter', '=', p.meter)
            .where('period', '=', p.period)
            .execute();
          for (const percent of [...(notify80 ? [80] : []), ...(notify100 ? [100] : [])]) {
            await recordAudit(ctx, trx, {
              orgId: org.orgId,
              actor: SYSTEM,
              action: 'usage.threshold_reached',
              target: { type: 'meter', id: p.meter, label: `${p.meter} ${p.period}` },
              data: { meter: p.meter, period: p.period, percent, used: fromMilli(drawn), allowance: fromMilli(allowance) },
            });
            alerts.push({ meter: p.meter, percent });
          }
        }
        return { results, organizationName: name };
      });

      if (alerts.length > 0) await notifyOwner(org.orgId, results.organizationName, alerts);
      const refusedForQuota = results.results.some((r) => r.code === 'quota_exhausted');
      const summary: RecordUsageResult = {
        accepted: results.results.filter((r) => r.status === 'accepted').length,
        duplicates: results.results.filter((r) => r.status === 'duplicate').length,
        refused: results.results.filter((r) => r.status === 'refused').length,
        results: results.results,
        billingPortalUrl: refusedForQuota ? await deps.portalLinkFor(org) : null,
      };
      return summary;
    },

    /** Per meter: used, quota, grants, remaining and overage for a local month, and usage by source. */
    async summary(principal: Principal, input: unknown = {}): Promise<UsageSummary> {
      const org = authorize(principal, 'usage.read');
      const { period: wanted } = parseInput(usageSummaryInput, input);
      return summaryOf(ctx, org.orgId, wanted, deps.defaultQuotas);
    },

    /** Usage per local day (organization timezone) with the day-over-day change. */
    async daily(principal: Principal, input: unknown = {}): Promise<DailyUsage> {
      const org = authorize(principal, 'usage.read');
      const data = parseInput(dailyUsageInput, input);
      const { timezone } = await ctx.db
        .selectFrom('organizations')
        .select('timezone')
        .where('id', '=', org.orgId)
        .executeTakeFirstOrThrow();
      const issues: FieldIssue[] = [];
      for (const field of ['from', 'to'] as const) {
        const value = data[field];
        if (value !== undefined && !isLocalDate(value)) issues.push({ path: field, message: `${field} is a date, YYYY-MM-DD.` });
      }
      const to = data.to ?? localDate(ctx.clock.now(), timezone);
      const from = data.from ?? addDays(to, -29);
      if (issues.length === 0 && from > to) issues.push({ path: 'from', message: 'from is on or before to.' });
      if (issues.length === 0 && addDays(from, 400) < to) issues.push({ path: 'from', message: 'A report covers at most 400 days.' });
      if (issues.length > 0) {
        throw new DomainError(
          'validation_failed',
          `The request has invalid fields. ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          { issues },
        );
      }
      // One day more before `from`, for its day-over-day change.
      const days = localDays(addDays(from, -1), to, timezone);
      const first = days[0]?.start ?? 0;
      const last = days.at(-1)?.end ?? 0;
      const rows = await ctx.db
        .selectFrom('usage_rollups')
        .select(['bucket_start', 'meter', sql<number>`sum(quantity)`.as('quantity')])
        .where('org_id', '=', org.orgId)
        .where('bucket_start', '>=', first)
        .where('bucket_start', '<', last)
        .groupBy(['bucket_start', 'meter'])
        .orderBy('bucket_start')
        .execute();
      const totals = days.map(() => ({ calls_analyzed: 0, transcript_minutes: 0 }));
      let d = 0;
      for (const row of rows) {
        while (d < days.length && row.bucket_start >= (days[d]?.end ?? 0)) d++;
        const bucket = totals[d];
        if (bucket) bucket[row.meter] += Number(row.quantity);
      }
      const change = (today: number, yesterday: number) => ({
        delta: fromMilli(today - yesterday),
        percent: yesterday === 0 ? null : Math.round(((today - yesterday) / yesterday) * 1000) / 10,
      });
      return {
        timezone,
        from,
        to,
        days: days.slice(1).map((day, i) => {
          const today = totals[i + 1] ?? { calls_analyzed: 0, transcript_minutes: 0 };
          const yesterday = totals[i] ?? { calls_analyzed: 0, transcript_minutes: 0 };
          return {
            date: day.date,
            values: { calls_analyzed: fromMilli(today.calls_analyzed), transcript_minutes: fromMilli(today.transcript_minutes) },
            change: {
              calls_analyzed: change(today.calls_analyzed, yesterday.calls_analyzed),
              transcript_minutes: change(today.transcript_minutes, yesterday.transcript_minutes),
            },
          };
        }),
      };
    },
  };
}

/** The summary of one organization's local month (shared by members' reads and the operator). */
export async function summaryOf(
  ctx: CoreContext,
  orgId: string,
  wanted: string | undefined,
  defaults: DefaultQuotas,
): Promise<UsageSummary> {
  const now = ctx.clock.now();
  const { timezone } = await ctx.db.selectFrom('organizations').select('timezone').where('id', '=', orgId).executeTakeFirstOrThrow();
  const period = wanted ?? periodOf(now, timezone);
  const bounds = periodBounds(period, timezone);
  const [periodRows, plans, grants, billing, bySource] = await Promise.all([
    ctx.db.selectFrom('usage_periods').selectAll().where('org_id', '=', orgId).where('period', '=', period).execute(),
    ctx.db.selectFrom('quotas').selectAll().where('org_id', '=', orgId).execute(),
    ctx.db
      .selectFrom('grants')
      .select(['meter', sql<number>`sum(remaining)`.as('remaining')])
      .where('org_id', '=', orgId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .groupBy('meter')
      .execute(),
    ctx.db.selectFrom('billing_accounts').select('payment_method').where('org_id', '=', orgId).executeTakeFirst(),
    ctx.db
      .selectFrom('usage_rollups')
      .select(['meter', 'source', sql<number>`sum(quantity)`.as('quantity'), sql<number>`sum(events)`.as('events')])
      .where('org_id', '=', orgId)
      .where('bucket_start', '>=', bounds.start)
      .where('bucket_start', '<', bounds.end)
      .groupBy(['meter', 'source'])
      .execute(),
  ]);
  return {
    period: { label: period, start: toIso(bounds.start), end: toIso(bounds.end), timezone },
    paymentMethod: billing?.payment_method === 1,
    meters: METERS.map((meter) => {
      const row = periodRows.find((r) => r.meter === meter);
      const quota = row?.quota ?? plans.find((p) => p.meter === meter)?.monthly ?? defaults[meter];
      const quotaRemaining = Math.max(0, quota - (row?.from_quota ?? 0));
      const grantsRemaining = Number(grants.find((g) => g.meter === meter)?.remaining ?? 0);
      return {
        meter,
        unit: UNITS[meter],
        used: fromMilli(row?.used ?? 0),
        quota: fromMilli(quota),
        quotaRemaining: fromMilli(quotaRemaining),
        grantsRemaining: fromMilli(grantsRemaining),
        remaining: fromMilli(quotaRemaining + grantsRemaining),
        overage: fromMilli(row?.overage ?? 0),
        bySource: bySource
          .filter((s) => s.meter === meter)
          .map((s) => ({ source: s.source, quantity: fromMilli(Number(s.quantity)), events: Number(s.events) }))
          .sort((a, b) => b.quantity - a.quantity),
      };
    }),
  };
}
