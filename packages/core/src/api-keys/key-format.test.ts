import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomIds } from '../ids.js';
import { base62Checksum, generateApiKey, parseApiKey } from './key-format.js';

describe('API key format', () => {
  it('generates keys that parse back to their id', () => {
    for (let i = 0; i < 50; i++) {
      const key = generateApiKey(randomIds);
      expect(key.secret).toMatch(/^zlt_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}$/);
      expect(parseApiKey(key.secret)).toEqual({ id: key.id });
      expect(key.stub.startsWith(key.secret.slice(0, 21))).toBe(true);
      expect(key.secret.includes(key.stub)).toBe(false);
    }
  });

  it('carries at least 128 bits of secret', () => {
    expect(32 * Math.log2(62)).toBeGreaterThan(128);
  });

  it('rejects any single-character change (the checksum catches typos offline)', () => {
    const { secret } = generateApiKey(randomIds);
    fc.assert(
      fc.property(fc.integer({ min: 4, max: secret.length - 1 }), fc.constantFrom(...'0123456789abcXYZ_'), (pos, ch) => {
        fc.pre(secret[pos] !== ch);
        const mutated = secret.slice(0, pos) + ch + secret.slice(pos + 1);
        expect(parseApiKey(mutated)).toBeUndefined();
      }),
    );
  });

  it('rejects arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        expect(parseApiKey(s)).toBeUndefined();
      }),
    );
  });

  it('encodes the checksum as six base62 characters', () => {
    expect(base62Checksum('')).toHaveLength(6);
    expect(base62Checksum('zlt_x')).toMatch(/^[0-9A-Za-z]{6}$/);
  });
});
