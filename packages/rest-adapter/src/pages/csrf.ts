/**
 * CSRF protection for the pages' forms: a random pre-session token lives in an HttpOnly,
 * SameSite=Lax cookie and is repeated in a hidden field of every form; a POST is accepted only
 * when both are present and equal (compared in constant time), and when the browser does not
 * say it came from another site. A cross-site page can make a browser send the cookie, but cannot read it or the page
 * to learn the token. Over https the cookie is `__Host-` prefixed, so a sibling subdomain
 * cannot plant a token of its choosing.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const CSRF_FIELD = '_csrf';

/** A form's string fields (files and repeated names are not used by any page). */
export type FormFields = Record<string, string>;

export interface CsrfEnv {
  Variables: {
    /** The token to put in this response's forms. */
    csrfToken: string;
    /** The parsed form of a POST that passed the check. */
    form: FormFields;
  };
}

export interface CsrfOptions {
  /** Cookies get `Secure` and the `__Host-` prefix (the public URL is https). */
  secure: boolean;
  /** Origins a form may be posted from, besides the request's own. */
  allowedOrigins: readonly string[];
  /** Answers a refused POST (a 403 page). */
  refuse(c: Context, reason: 'missing_cookie' | 'token_mismatch' | 'foreign_origin'): Response | Promise<Response>;
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-zelto_csrf' : 'zelto_csrf';
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function readForm(c: Context): Promise<FormFields> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return {};
  const body = await c.req.parseBody();
  const out: FormFields = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value;
  return out;
}

/**
 * A second, independent check: what the browser says about where the form came from. With
 * `Referrer-Policy: no-referrer` browsers send `Origin: null` on our own forms, so "null"
 * proves nothing either way and the token decides; a named foreign origin, or a fetch the
 * browser marks cross-site or same-site (a sibling subdomain), is refused outright.
 */
function fromOurOrigin(c: Context, allowed: readonly string[]): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return false;
  const origin = c.req.header('origin');
  return origin === undefined || origin === 'null' || origin === new URL(c.req.url).origin || allowed.includes(origin);
}

/**
 * Issues the token cookie on first sight and checks every unsafe request: the form's token
 * must equal the cookie's. A refused request never reaches a handler, so nothing changes.
 */
export function csrfProtection(options: CsrfOptions): MiddlewareHandler<CsrfEnv> {
  const name = csrfCookieName(options.secure);
  return async (c, next) => {
    const fromCookie = getCookie(c, name);
    const existing = fromCookie && TOKEN_PATTERN.test(fromCookie) ? fromCookie : undefined;
    const token = existing ?? randomBytes(32).toString('base64url');
    if (!existing) {
      // A browser-session cookie: the pages are a short flow, nothing to keep after the browser closes.
      setCookie(c, name, token, { path: '/', httpOnly: true, sameSite: 'Lax', secure: options.secure });
    }
    c.set('csrfToken', token);

    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      c.set('form', {});
      return next();
    }
    if (!fromOurOrigin(c, options.allowedOrigins)) return options.refuse(c, 'foreign_origin');
    if (!existing) return options.refuse(c, 'missing_cookie');
    const form = await readForm(c);
    const submitted = form[CSRF_FIELD];
    if (submitted === undefined || !sameToken(submitted, existing)) return options.refuse(c, 'token_mismatch');
    c.set('form', form);
    return next();
  };
}
