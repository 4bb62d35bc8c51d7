/** The databases the multi-instance tests share between processes: a SQLite file always, PostgreSQL when configured. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCore } from '@zelto/core/testing';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

const postgresUrl = inject('postgresUrl');
export const BACKENDS = postgresUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

/** A migrated, empty database and the environment that points `zelto` at it. */
export async function sharedDatabase(backend: 'sqlite' | 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), 'zelto-instances-'));
  const holder = await TestCore.create(
    backend === 'postgres' ? { backend, postgresUrl } : { backend: 'sqlite', sqliteFile: join(dir, 'zelto.db') },
  );
  const env: Record<string, string> = { ZELTO_OUTBOX: join(dir, 'outbox.jsonl') };
  if (backend === 'postgres') env.DATABASE_URL = holder.target;
  else env.ZELTO_DB = holder.target;
  return {
    env,
    async close() {
      await holder.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
