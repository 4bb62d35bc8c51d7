import { IANAZone } from 'luxon';
import { z } from 'zod';

/** An IANA time zone name (`Europe/Paris`, `America/New_York`, `UTC`). */
export const timezoneSchema = z
  .string({ error: 'A time zone is required.' })
  .trim()
  .max(64)
  .refine((tz) => IANAZone.isValidZone(tz) && !/^[+-]|^UTC[+-]|^GMT[+-]/i.test(tz), {
    error: 'Not an IANA time zone; use a name like Europe/Paris, America/New_York or UTC.',
  })
  .transform((tz) => canonicalZone(tz));

/** A BCP 47 language tag (`en`, `fr-CA`, `pt-BR`), stored in canonical case. */
export const localeSchema = z
  .string({ error: 'A locale is required.' })
  .trim()
  .min(2)
  .max(35)
  .refine((tag) => canonicalLocale(tag) !== undefined, {
    error: 'Not a BCP 47 language tag; use a tag like en, en-US, fr-CA or pt-BR.',
  })
  .transform((tag) => canonicalLocale(tag) as string);

function canonicalLocale(tag: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical;
  } catch {
    return undefined;
  }
}

/**
 * The zone's own spelling (`europe/paris` becomes `Europe/Paris`). ICU resolves some modern
 * names to older aliases (Asia/Kathmandu to Asia/Katmandu): a name that is valid as typed and
 * differs by more than case is kept as the person typed it.
 */
function canonicalZone(tz: string): string {
  if (tz.toUpperCase() === 'UTC') return 'UTC';
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === tz.toLowerCase() ? resolved : tz;
  } catch {
    return tz;
  }
}

/**
 * The slug of an organization name: lower-case ASCII words joined by dashes, at most 40
 * characters. Names with no usable letters get `org`; uniqueness is the caller's job.
 */
export function slugify(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = ascii.slice(0, 40).replace(/-+$/g, '');
  return cut.length >= 2 ? cut : cut.length === 1 ? `${cut}-org` : 'org';
}
