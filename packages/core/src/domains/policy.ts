/**
 * Which domains an organization may claim: a syntactically valid registrable host name that
 * is neither a public mail provider (anyone can have an address there) nor a disposable
 * mail domain. Lists: email-providers (common public providers) and
 * disposable-email-domains-js.
 */
import { createRequire } from 'node:module';
import { domainToASCII } from 'node:url';
import disposable from 'disposable-email-domains-js';

const require = createRequire(import.meta.url);
const PUBLIC_PROVIDERS = new Set<string>(require('email-providers/common.json') as string[]);
// A few large providers the common list leaves out.
for (const d of [
  'googlemail.com',
  'outlook.fr',
  'hotmail.co.uk',
  'yahoo.co.uk',
  'protonmail.com',
  'proton.me',
  'pm.me',
  'hey.com',
  'fastmail.com',
  'zoho.com',
  'yandex.com',
  'tutanota.com',
]) {
  PUBLIC_PROVIDERS.add(d);
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A domain in canonical form (lower case, ASCII, no trailing dot), or undefined if it is not one. */
export function canonicalDomain(input: string): string | undefined {
  const ascii = domainToASCII(input.trim().toLowerCase().replace(/\.$/, ''));
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  if (/^\d+$/.test(labels.at(-1) ?? '')) return undefined;
  return ascii;
}

export type DomainVerdict = { ok: true } | { ok: false; reason: 'public_provider' | 'disposable' };

export function domainPolicy(domain: string): DomainVerdict {
  if (disposable.isDisposableEmailDomain(domain)) return { ok: false, reason: 'disposable' };
  if (PUBLIC_PROVIDERS.has(domain)) return { ok: false, reason: 'public_provider' };
  return { ok: true };
}

/** The domain part of an email address. */
export function domainOfEmail(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
