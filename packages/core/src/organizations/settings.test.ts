import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localeSchema, slugify, timezoneSchema } from './settings.js';

describe('slugify', () => {
  it('derives readable slugs from names', () => {
    expect(slugify('Acme, Inc.')).toBe('acme-inc');
    expect(slugify('  Café Crème & Co ')).toBe('cafe-creme-and-co');
    expect(slugify('東京')).toBe('org');
    expect(slugify('X')).toBe('x-org');
  });

  it('always yields a URL-safe slug of 2 to 40 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (name) => {
        const slug = slugify(name);
        expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(slug.length).toBeGreaterThanOrEqual(2);
        expect(slug.length).toBeLessThanOrEqual(40);
      }),
    );
  });
});

describe('timezone and locale', () => {
  it('accepts IANA names and canonicalises their case', () => {
    expect(timezoneSchema.parse('Europe/Paris')).toBe('Europe/Paris');
    expect(timezoneSchema.parse('europe/paris')).toBe('Europe/Paris');
    expect(timezoneSchema.parse('Asia/Kathmandu')).toBe('Asia/Kathmandu');
    expect(timezoneSchema.parse('America/New_York')).toBe('America/New_York');
    expect(timezoneSchema.parse('UTC')).toBe('UTC');
  });

  it('refuses offsets and made-up zones', () => {
    for (const bad of ['Mars/Olympus', '+02:00', 'UTC+2', '', 'GMT-5']) {
      expect(timezoneSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('accepts BCP 47 tags in canonical form', () => {
    expect(localeSchema.parse('en-us')).toBe('en-US');
    expect(localeSchema.parse('pt-BR')).toBe('pt-BR');
    expect(localeSchema.safeParse('not a locale').success).toBe(false);
    expect(localeSchema.safeParse('e').success).toBe(false);
  });
});
