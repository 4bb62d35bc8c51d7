import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

/** An open database: the kysely instance, which dialect it speaks, and how to close it. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
}

/**
 * SQLite's default `BEGIN` is deferred: a transaction that reads first and writes later can
 * fail with SQLITE_BUSY when another process wrote in between, and busy_timeout does not
 * retry that upgrade. `BEGIN IMMEDIATE` takes the write lock up front, so transactions from
 * several processes on one file queue behind each other instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * kysely's SQLite driver prepares every statement anew; preparing is a large share of a
 * query's cost. Queries are executed one at a time on the single connection and never
 * streamed, so a prepared statement can be reused: keep the most recent ones.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, size = 500): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement;
    },
  } as SqliteDialectConfig['database'];
}

/** Opens a SQLite file (or `:memory:`) with WAL, a busy timeout and foreign keys on. */
export function openSqlite(file: string): DatabaseHandle {
  const sqlite = new SqliteDatabase(file);
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  // Several processes may share one file: wait for the write lock rather than fail.
  sqlite.pragma('busy_timeout = 15000');
  // WAL + NORMAL survives a process crash (SIGKILL); only power loss may drop the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Opens a PostgreSQL pool. Times and quantities are int8 columns holding values far below
 * 2^53, so they are parsed as numbers, for this pool only (pg's global parsers stay as they are).
 */
export function openPostgres(url: string, options: { max?: number } = {}): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** `postgres://` and `postgresql://` URLs open PostgreSQL; anything else is a SQLite file. */
export function openDatabase(target: string): DatabaseHandle {
  return /^postgres(ql)?:\/\//.test(target) ? openPostgres(target) : openSqlite(target);
}
