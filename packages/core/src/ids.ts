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
const nano = customAlphabet(BASE62, 16);

export const randomIds: IdSource = {
  id: (prefix) => `${prefix}_${nano()}`,
  randomBytes: (bytes) => randomBytes(bytes),
};

/** Ids that count up (`org_0001`, ...): readable test output; secrets stay random. */
export function sequentialIds(): IdSource {
  let n = 0;
  return {
    id: (prefix) => `${prefix}_${String(++n).padStart(4, '0')}`,
    randomBytes: (bytes) => randomBytes(bytes),
  };
}
