import { createHash, timingSafeEqual } from 'node:crypto';
import type { IdSource } from './ids.js';
import { BASE62 } from './ids.js';

/** SHA-256 hex digest: how tokens with enough entropy of their own are stored. */
export function sha256(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** A URL-safe random token with `bytes` of entropy. */
export function randomToken(ids: IdSource, bytes = 32): string {
  return ids.randomBytes(bytes).toString('base64url');
}

/** A base62 string of `length` characters, uniform over the alphabet (rejection sampling). */
export function randomBase62(ids: IdSource, length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of ids.randomBytes(length * 2)) {
      // 248 = 4 * 62: bytes above it would bias the first characters.
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A numeric code of `digits` digits, uniform (rejection sampling). */
export function randomDigits(ids: IdSource, digits: number): string {
  let out = '';
  while (out.length < digits) {
    for (const byte of ids.randomBytes(digits * 2)) {
      if (byte < 250) out += String(byte % 10);
      if (out.length === digits) break;
    }
  }
  return out;
}
