import { randomBytes } from 'node:crypto';
import { customAlphabet } from 'nanoid';

/** Every id says what it names, so a bare id in a log is readable. */
export type IdPrefix = 'org' | 'usr' | 'mem' | 'inv' | 'lnk' | 'key' | 'evt' | 'ses' | 'vfy' | 'dom' | 'use' | 'grt' | 'bps';

/** The id and secret source. Injected so tests can make ids predictable. */
export interface IdSource {
  /** A new prefixed id, e.g. `org_3k9f...`. */
  id(prefix: IdPrefix): string;
  /** `bytes` of cryptographically secure randomness. */
  randomBytes(bytes: number): Buffer;
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const randomPart = customAlphabet(BASE36, 10);
const MAX_COUNTER = 36 ** 3 - 1;

/**
 * Ids that sort by creation time: 9 base36 characters of milliseconds, a 3-character counter
 * for ids made in the same millisecond, then 10 random characters. Lower-case only, so every
 * database collation orders them the same way; lists use them to break ties between rows
 * created in one millisecond.
 */
export function timeOrderedIds(now: () => number = Date.now): IdSource {
  let lastMs = 0;
  let counter = 0;
  return {
    id(prefix) {
      let ms = Math.max(now(), lastMs);
      counter = ms === lastMs ? counter + 1 : 0;
      if (counter > MAX_COUNTER) {
        // More ids in one millisecond than the counter holds: borrow the next millisecond.
        ms += 1;
        counter = 0;
      }
      lastMs = ms;
      return `${prefix}_${ms.toString(36).padStart(9, '0')}${counter.toString(36).padStart(3, '0')}${randomPart()}`;
    },
    randomBytes: (bytes) => randomBytes(bytes),
  };
}

export const randomIds: IdSource = timeOrderedIds();

/** Ids that count up (`org_0001`, ...): readable test output; secrets stay random. */
export function sequentialIds(): IdSource {
  let n = 0;
  return {
    id: (prefix) => `${prefix}_${String(++n).padStart(4, '0')}`,
    randomBytes: (bytes) => randomBytes(bytes),
  };
}
