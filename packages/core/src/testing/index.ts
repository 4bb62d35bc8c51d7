/**
 * Test support for the core and its adapters: a ready core on in-memory SQLite (or on a
 * throwaway PostgreSQL schema) with a manual clock and a recording mailer, plus helpers
 * that walk the real use cases to set up people and organizations.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Session } from '../accounts/schema.js';
import { ManualClock } from '../clock.js';
import type { CoreConfig } from '../context.js';
import { type Core, createCore } from '../core.js';
import { migrateToLatest } from '../db/migrations.js';
import { type DatabaseHandle, openPostgres, openSqlite } from '../db/open.js';
import type { Database, Role } from '../db/schema.js';
import type { Principal } from '../principal.js';
import { FakeDns } from './fake-dns.js';
import { RecordingMailer } from './recording-mailer.js';

export { ManualClock } from '../clock.js';
export { FakeDns } from './fake-dns.js';
export { RecordingMailer } from './recording-mailer.js';

export type Backend = 'sqlite' | 'postgres';

export interface TestCoreOptions {
  backend?: Backend;
  /** Required for the postgres backend. */
  postgresUrl?: string;
  /** A SQLite file instead of memory (several processes sharing one file). */
  sqliteFile?: string;
  clock?: ManualClock;
  config?: Partial<CoreConfig>;
}

export interface TestPerson {
  userId: string;
  email: string;
  token: string;
  password: string;
}

/** A PostgreSQL schema of its own for one test core, dropped on close. */
async function postgresSchema(url: string): Promise<{ handle: DatabaseHandle; target: string; drop: () => Promise<void> }> {
  const schema = `zt_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  // URLSearchParams would encode the space as '+', which pg does not decode.
  const scoped = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const handle = openPostgres(scoped, { max: 8 });
  return {
    handle,
    target: scoped,
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A core with everything faked but the database, and helpers to set up scenarios. */
export class TestCore {
  private constructor(
    readonly core: Core,
    readonly clock: ManualClock,
    readonly mailer: RecordingMailer,
    readonly dns: FakeDns,
    readonly database: DatabaseHandle,
    /** What another process opens to share this database (a SQLite file or a PostgreSQL URL). */
    readonly target: string,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async create(options: TestCoreOptions = {}): Promise<TestCore> {
    const backend = options.backend ?? 'sqlite';
    let database: DatabaseHandle;
    let target = options.sqliteFile ?? ':memory:';
    let drop = async () => {};
    if (backend === 'postgres') {
      if (!options.postgresUrl) throw new Error('postgresUrl is required for the postgres backend');
      const created = await postgresSchema(options.postgresUrl);
      database = created.handle;
      target = created.target;
      drop = created.drop;
    } else {
      database = openSqlite(options.sqliteFile ?? ':memory:');
    }
    await migrateToLatest(database);
    const clock = options.clock ?? new ManualClock();
    const mailer = new RecordingMailer();
    const dns = new FakeDns();
    const core = createCore({
      database,
      mailer,
      dns,
      clock,
      config: { publicUrl: 'http://zelto.test', bcryptCost: 4, ...options.config },
    });
    return new TestCore(core, clock, mailer, dns, database, target, async () => {
      await database.close();
      await drop();
    });
  }

  async close(): Promise<void> {
    await this.cleanup();
  }

  /** Row counts of tables: compare before and after a refused call to prove it changed nothing. */
  async counts<T extends keyof Database>(tables: readonly T[]): Promise<Record<T, number>> {
    const out = {} as Record<T, number>;
    for (const table of tables) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(this.database.db);
      out[table] = Number(rows[0]?.n ?? 0);
    }
    return out;
  }

  /** Signs a person up; verified (through the emailed code) unless told otherwise. */
  async person(email: string, options: { verified?: boolean; name?: string; password?: string } = {}): Promise<TestPerson> {
    const password = options.password ?? 'correct horse battery';
    await this.core.accounts.signUp({ email, password, name: options.name ?? email.split('@')[0] });
    let session: Session;
    if (options.verified === false) {
      session = await this.core.accounts.signIn({ email, password });
    } else {
      session = await this.core.accounts.verifyEmail({ email, code: this.mailer.codeFor(email) });
    }
    return { userId: session.user.id, email: session.user.email, token: session.token, password };
  }

  /** The principal a bearer string authenticates as (throws if refused). */
  async principal(token: string, organization?: string): Promise<Principal> {
    const result = await this.core.authenticate(token, { organization });
    if (!result.ok) throw new Error(`authentication refused: ${result.code}: ${result.message}`);
    return result.principal;
  }

  /** An organization with a verified owner, signed in. */
  async organization(name = 'Acme', ownerEmail = 'owner@acme.test') {
    const owner = await this.person(ownerEmail);
    const person = await this.principal(owner.token);
    const org = await this.core.organizations.create(person, { name });
    return { org, owner, ownerP: await this.principal(owner.token, org.id) };
  }

  /** Adds a verified person to an organization through a real invitation and acceptance. */
  async member(orgId: string, inviter: Principal, email: string, role: Exclude<Role, 'owner'> = 'member') {
    const person = await this.person(email);
    await this.core.invitations.invite(inviter, { email, role });
    const token = this.mailer.linkFor(email, 'invitation').split('/invitations/')[1] as string;
    await this.core.invitations.accept(await this.principal(person.token), { token });
    return { ...person, principal: await this.principal(person.token, orgId) };
  }

  /** The invite link token of an organization, as an admin sees it. */
  async inviteLinkToken(admin: Principal): Promise<string> {
    const link = await this.core.inviteLink.get(admin);
    if (!link.url) throw new Error('the invite link is revoked');
    return link.url.split('/join/')[1] as string;
  }
}
