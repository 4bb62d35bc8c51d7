/** Shared by the core's own tests: which backends the contract suite runs on. */
import { expect, inject } from 'vitest';
import type { Database } from './db/schema.js';
import { type DomainError, type DomainErrorCode, isDomainError } from './errors.js';
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

/** Awaits a promise that must fail with a DomainError of `code`; returns the error. */
export async function expectDomainError(promise: Promise<unknown>, code: DomainErrorCode): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    expect(error.code, error.message).toBe(code);
    return error;
  }
  throw new Error(`expected a ${code} DomainError, but the call succeeded`);
}

/** Counts the rows of a table (to prove a refused call changed nothing). */
export async function countRows(t: TestCore, table: keyof Database): Promise<number> {
  return (await t.counts([table]))[table];
}

/** A snapshot of the row counts of the main tables. */
const COUNTED = [
  'users',
  'sessions',
  'organizations',
  'organization_logos',
  'memberships',
  'invitations',
  'invite_links',
  'api_keys',
  'audit_events',
] as const;

export function tableCounts(t: TestCore): Promise<Record<(typeof COUNTED)[number], number>> {
  return t.counts(COUNTED);
}
