/**
 * The API key format: `zlt_<public id>_<secret><checksum>`.
 *  - `zlt_` makes a key recognisable (secret scanners, logs);
 *  - the public id (16 base62) names the key's row;
 *  - the secret is 32 base62 characters (about 190 bits);
 *  - the checksum is the CRC-32 of everything before it, as 6 base62 characters, so a scanner
 *    can tell a real key from a look-alike offline, and typos fail without a database read.
 */
import { crc32 } from 'node:zlib';
import { randomBase62 } from '../crypto.js';
import { BASE62, type IdSource } from '../ids.js';

export const KEY_PREFIX = 'zlt_';
const KEY_PATTERN = /^zlt_([0-9A-Za-z]{16})_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;

export function base62Checksum(text: string): string {
  let n = crc32(text);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export interface ParsedKey {
  /** The row id, `key_<public id>`. */
  id: string;
}

/** Parses a key and checks its checksum; undefined for anything that is not a well-formed key. */
export function parseApiKey(token: string): ParsedKey | undefined {
  const match = KEY_PATTERN.exec(token);
  if (!match) return undefined;
  const [, publicId, secret, checksum] = match;
  if (base62Checksum(`${KEY_PREFIX}${publicId}_${secret}`) !== checksum) return undefined;
  return { id: `key_${publicId}` };
}

/** A new key: its row id, the full secret (shown once) and a display stub. */
export function generateApiKey(ids: IdSource): { id: string; secret: string; stub: string } {
  const publicId = randomBase62(ids, 16);
  const body = `${KEY_PREFIX}${publicId}_${randomBase62(ids, 32)}`;
  const checksum = base62Checksum(body);
  return { id: `key_${publicId}`, secret: `${body}${checksum}`, stub: `${KEY_PREFIX}${publicId}_…${checksum.slice(-4)}` };
}

/** True when a string looks like a Zelto key (for scanners): the shape and the checksum. */
export function looksLikeApiKey(text: string): boolean {
  return parseApiKey(text) !== undefined;
}
