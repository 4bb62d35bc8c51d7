import { sql } from 'kysely';
import { DomainError } from './errors.js';

/** A position in a list ordered by (time desc, id desc). */
export interface Cursor {
  at: number;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { at: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError('validation_failed', 'cursor is not one this API returned; pass nextCursor from the previous page.', {
    issues: [{ path: 'cursor', message: 'Not a cursor this API returned.' }],
  });
}

/** Cuts a page from `limit + 1` fetched rows and computes the next cursor. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  position: (row: Row) => Cursor,
  map: (row: Row) => Item,
): { data: Item[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(map),
    nextCursor: hasMore && last !== undefined ? encodeCursor(position(last)) : null,
  };
}

/**
 * The condition "strictly after this cursor" for a list ordered by (time desc, id desc).
 * Column names are passed as references, so one helper serves every list.
 */
export function beforeCursor(timeColumn: string, idColumn: string, cursor: Cursor) {
  const time = sql.ref(timeColumn);
  const id = sql.ref(idColumn);
  return sql<boolean>`(${time} < ${cursor.at} or (${time} = ${cursor.at} and ${id} < ${cursor.id}))`;
}
