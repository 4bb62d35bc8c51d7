import { sql } from 'kysely';
import type { CoreContext } from '../context.js';
import { DomainError } from '../errors.js';

/** A fixed-window limit: at most `max` attempts per `windowMs` for one bucket. */
export interface RateRule {
  name: string;
  max: number;
  windowMs: number;
}

/**
 * Counts one attempt against each bucket and refuses with `rate_limited` when any is over.
 * Counters live in the database (one atomic upsert each) so every server instance shares them.
 */
export async function consumeRateLimit(ctx: CoreContext, attempts: Array<{ rule: RateRule; subject: string | undefined }>): Promise<void> {
  const now = ctx.clock.now();
  for (const { rule, subject } of attempts) {
    if (subject === undefined || subject === '') continue;
    const bucket = `${rule.name}:${subject}`;
    const windowStart = now - (now % rule.windowMs);
    const row = await ctx.db
      .insertInto('rate_limits')
      .values({ bucket, window_start: windowStart, count: 1 })
      .onConflict((oc) =>
        oc.column('bucket').doUpdateSet({
          count: sql<number>`case when rate_limits.window_start = ${windowStart} then rate_limits.count + 1 else 1 end`,
          window_start: windowStart,
        }),
      )
      .returning(['count', 'window_start'])
      .executeTakeFirstOrThrow();
    if (row.count > rule.max) {
      const retryAfterSeconds = Math.max(1, Math.ceil((row.window_start + rule.windowMs - now) / 1000));
      throw new DomainError('rate_limited', `Too many attempts. Wait ${retryAfterSeconds} seconds and try again.`, { retryAfterSeconds });
    }
  }
}

const MINUTE = 60_000;

/** The limits on the people-facing flows (per address and per client). */
export const RATE_RULES = {
  signInPerEmail: { name: 'signin-email', max: 10, windowMs: 15 * MINUTE },
  signInPerClient: { name: 'signin-client', max: 50, windowMs: 15 * MINUTE },
  signUpPerClient: { name: 'signup-client', max: 20, windowMs: 60 * MINUTE },
  signUpPerEmail: { name: 'signup-email', max: 5, windowMs: 60 * MINUTE },
  verifyPerEmail: { name: 'verify-email', max: 10, windowMs: 15 * MINUTE },
  verifyPerClient: { name: 'verify-client', max: 50, windowMs: 15 * MINUTE },
  joinPerClient: { name: 'join-client', max: 30, windowMs: 15 * MINUTE },
  joinPerUser: { name: 'join-user', max: 30, windowMs: 15 * MINUTE },
} as const satisfies Record<string, RateRule>;
