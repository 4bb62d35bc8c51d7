import type { Kysely } from 'kysely';
import type { Clock } from './clock.js';
import type { DialectName } from './db/open.js';
import type { Database } from './db/schema.js';
import type { DnsResolver } from './domains/dns.js';
import type { IdSource } from './ids.js';
import type { Mailer } from './mail/mailer.js';

/** Settings the core needs; the composition root reads them from the environment. */
export interface CoreConfig {
  /** Base of invite, join, verification and portal links, without a trailing slash. */
  publicUrl: string;
  /** bcrypt cost for passwords (10 in production; tests may lower it). */
  bcryptCost: number;
  /** Monthly quotas (thousandths) of organizations without a plan set by the operator. */
  defaultQuotas: { calls_analyzed: number; transcript_minutes: number };
}

export const DEFAULT_CONFIG: CoreConfig = {
  publicUrl: 'http://127.0.0.1:3000',
  bcryptCost: 10,
  // The free plan: 100 calls and 300 transcript minutes a month.
  defaultQuotas: { calls_analyzed: 100_000, transcript_minutes: 300_000 },
};

/** Everything a use case may touch. Built once by createCore; no process globals. */
export interface CoreContext {
  db: Kysely<Database>;
  dialect: DialectName;
  clock: Clock;
  ids: IdSource;
  mailer: Mailer;
  dns: DnsResolver;
  config: CoreConfig;
}

/** A database handle inside or outside a transaction. */
export type Db = Kysely<Database>;
