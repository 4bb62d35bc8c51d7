import { z } from 'zod';
import { isoDateTime } from '../schemas.js';

export const METERS = ['calls_analyzed', 'transcript_minutes'] as const;
export const meterSchema = z.enum(METERS, { error: 'meter is calls_analyzed or transcript_minutes.' });
export const UNITS: Record<(typeof METERS)[number], string> = { calls_analyzed: 'calls', transcript_minutes: 'minutes' };

export const MAX_BATCH = 1000;
export const MAX_AGE_DAYS = 35;
export const MAX_AHEAD_MINUTES = 5;

export const usageEventInput = z
  .object({
    meter: meterSchema,
    quantity: z
      .union([z.number(), z.string()], { error: 'quantity is a number (minutes may have up to 3 decimals).' })
      .describe('> 0; minutes may have 3 decimals.'),
    source: z
      .string()
      .regex(/^[a-z0-9_]{1,64}$/, { error: 'source is lower-case letters, digits and underscores (e.g. api_call_upload).' })
      .optional()
      .describe('Default: api_<key name>.'),
    occurredAt: z.iso
      .datetime({ offset: true, error: 'occurredAt is an ISO 8601 date-time.' })
      .optional()
      .describe('Default now; up to 35 days back.'),
    idempotencyKey: z
      .string({ error: 'idempotencyKey is required: the same key counts once.' })
      .min(1)
      .max(255, { error: 'idempotencyKey has at most 255 characters.' })
      .describe('The same key counts once.'),
  })
  .strict();

export const recordUsageInput = z
  .object({
    events: z
      .array(usageEventInput)
      .min(1, { error: 'Send at least one event.' })
      .max(MAX_BATCH, { error: `Send at most ${MAX_BATCH} events per batch.` }),
  })
  .strict();

/** The batch's shape alone; each event is checked on its own so every bad field is named. */
export const usageBatchShape = z
  .object({
    events: z
      .array(z.unknown())
      .min(1, { error: 'Send at least one event.' })
      .max(MAX_BATCH, { error: `Send at most ${MAX_BATCH} events per batch.` }),
  })
  .strict();

export const EVENT_STATUSES = ['accepted', 'duplicate', 'refused'] as const;

export const eventResultSchema = z.object({
  idempotencyKey: z.string(),
  status: z.enum(EVENT_STATUSES),
  eventId: z.string().nullable(),
  meter: meterSchema,
  quantity: z.number(),
  fromQuota: z.number(),
  fromGrants: z.number(),
  overage: z.number().describe('Billed beyond quota and grants (needs a payment method).'),
  code: z.string().nullable().describe('Why it was refused: quota_exhausted or idempotency_conflict.'),
  message: z.string().nullable(),
});
export type EventResult = z.infer<typeof eventResultSchema>;

export const recordUsageResultSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    refused: z.number().int(),
    results: z.array(eventResultSchema),
    billingPortalUrl: z.string().nullable().describe('Where to add a payment method, when events were refused for quota.'),
  })
  .meta({ id: 'RecordUsageResult' });
export type RecordUsageResult = z.infer<typeof recordUsageResultSchema>;

export const usageSummaryInput = z
  .object({
    period: z
      .string()
      .regex(/^\d{4}-\d{2}$/, { error: 'period is a month, YYYY-MM.' })
      .optional()
      .describe('YYYY-MM; default this month.'),
  })
  .strict();

export const meterSummarySchema = z.object({
  meter: meterSchema,
  unit: z.string(),
  used: z.number(),
  quota: z.number().describe('The monthly quota.'),
  quotaRemaining: z.number(),
  grantsRemaining: z.number().describe('Prepaid grants left (not expired).'),
  remaining: z.number().describe('quotaRemaining + grantsRemaining.'),
  overage: z.number().describe('Billed beyond quota and grants this period.'),
  bySource: z.array(z.object({ source: z.string(), quantity: z.number(), events: z.number().int() })),
});

export const usageSummarySchema = z
  .object({
    period: z.object({ label: z.string(), start: isoDateTime, end: isoDateTime, timezone: z.string() }),
    paymentMethod: z.boolean(),
    meters: z.array(meterSummarySchema),
  })
  .meta({ id: 'UsageSummary' });
export type UsageSummary = z.infer<typeof usageSummarySchema>;

export const dailyUsageInput = z
  .object({
    from: z.string().optional().describe('YYYY-MM-DD'),
    to: z.string().optional().describe('YYYY-MM-DD; default today.'),
  })
  .strict();

const change = z.object({ delta: z.number(), percent: z.number().nullable().describe('null when the day before was 0.') });

export const dailyUsageSchema = z
  .object({
    timezone: z.string(),
    from: z.string(),
    to: z.string(),
    days: z.array(
      z.object({
        date: z.string(),
        values: z.object({ calls_analyzed: z.number(), transcript_minutes: z.number() }),
        change: z.object({ calls_analyzed: change, transcript_minutes: change }),
      }),
    ),
  })
  .meta({ id: 'DailyUsage' });
export type DailyUsage = z.infer<typeof dailyUsageSchema>;

/** Operator inputs (the CLI). */
export const setQuotaInput = z.object({ meter: meterSchema, monthly: z.union([z.number(), z.string()]) }).strict();
export const addGrantInput = z
  .object({
    meter: meterSchema,
    amount: z.union([z.number(), z.string()]),
    expires: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expires is a date, YYYY-MM-DD.' })
      .optional(),
  })
  .strict();
