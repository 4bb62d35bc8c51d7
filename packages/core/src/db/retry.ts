import { isUniqueViolation } from './dialect.js';

/**
 * Runs a transaction again when it lost a race on a unique index (PostgreSQL aborts the
 * whole transaction on a violation, so the retry must start from the top).
 */
export async function withConflictRetry<T>(run: (attempt: number) => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      if (attempt >= attempts || !isUniqueViolation(error)) throw error;
    }
  }
}
