import type { z } from 'zod';
import { DomainError, type FieldIssue } from './errors.js';

/** Flattens zod issues into `{ path, message }` pairs, one per failing field. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

/** Parses input with a schema; on failure throws `validation_failed` naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error);
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new DomainError('validation_failed', `The request has invalid fields. ${summary}`, { issues });
}
