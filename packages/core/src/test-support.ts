/** Shared by the core's own tests: which backends the contract suite runs on. */
import { inject } from 'vitest';
import { type Backend, TestCore, type TestCoreOptions } from './testing/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** ZELTO_TEST_DATABASE_URL, or '' when PostgreSQL tests are off. */
    postgresUrl: string;
  }
}

export const postgresUrl = inject('postgresUrl');

/** SQLite always; PostgreSQL too when ZELTO_TEST_DATABASE_URL is set. */
export const BACKENDS: Backend[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export function testCore(backend: Backend, options: Omit<TestCoreOptions, 'backend' | 'postgresUrl'> = {}): Promise<TestCore> {
  return TestCore.create({ ...options, backend, postgresUrl: postgresUrl || undefined });
}
