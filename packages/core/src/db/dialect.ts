/** The few places where SQLite and PostgreSQL must be told apart. */

/** True when a write failed on a unique index (or primary key). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The name of the unique index a write violated, when the driver says. */
export function violatedConstraint(error: unknown): string | undefined {
  const e = error as { constraint?: unknown; message?: unknown } | null;
  if (typeof e?.constraint === 'string') return e.constraint;
  return undefined;
}

/** The scalar "larger of" function: max(a, b) in SQLite, greatest(a, b) in PostgreSQL. */
export function greatestFunction(dialect: 'sqlite' | 'postgres'): 'max' | 'greatest' {
  return dialect === 'postgres' ? 'greatest' : 'max';
}
