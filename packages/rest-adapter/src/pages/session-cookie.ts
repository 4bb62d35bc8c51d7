/**
 * The pages' cookies. The session cookie holds the core's session token (never a URL): HttpOnly
 * so no script can read it, SameSite=Lax so other sites' forms do not carry it, Secure and
 * `__Host-` prefixed when the public URL is https. It is a browser-session cookie: the server
 * session lasts 30 days and stays revocable, but a shared computer forgets it when closed.
 * The REST API never reads cookies (only `Authorization`), so this cookie cannot be used
 * against it cross-site.
 */
import type { Core, PersonPrincipal } from '@zelto/core';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** How long the link-verification and return-path cookies live: as long as a verification code. */
const FLOW_COOKIE_SECONDS = 30 * 60;

export const VERIFY_PATH = '/verify-email';

export interface PageCookies {
  /**
   * The signed-in person, if the session cookie holds a live session of a person; otherwise
   * the core's reason when a cookie was sent but refused (signed out, expired).
   */
  session(c: Context): Promise<{ person?: PersonPrincipal; refusal?: string }>;
  setSession(c: Context, token: string): void;
  clearSession(c: Context): void;
  /** The verification token from an email link, held between the redirect and the confirmation. */
  verifyToken(c: Context): string | undefined;
  setVerifyToken(c: Context, token: string): void;
  clearVerifyToken(c: Context): void;
  /** Where to send a person once their email is verified (the join or invitation page they started on). */
  returnPath(c: Context): string | undefined;
  setReturnPath(c: Context, path: string): void;
  clearReturnPath(c: Context): void;
}

/** Only our own flow pages: never an open redirect. */
const RETURN_PATH = /^\/(join|invitations)\/[A-Za-z0-9_-]{1,200}$/;

export function pageCookies(core: Core, secure: boolean): PageCookies {
  // `__Host-` needs Path=/; the cookies scoped to the verification page use `__Secure-`.
  const session = secure ? '__Host-zelto_session' : 'zelto_session';
  const verify = secure ? '__Secure-zelto_verify' : 'zelto_verify';
  const back = secure ? '__Secure-zelto_return' : 'zelto_return';
  const base = { httpOnly: true, sameSite: 'Lax' as const, secure };
  const flow = { ...base, path: VERIFY_PATH, maxAge: FLOW_COOKIE_SECONDS };

  return {
    async session(c) {
      const token = getCookie(c, session);
      if (!token) return {};
      const result = await core.authenticate(token);
      // Only a person's session signs a browser in; anything else in the cookie is dropped.
      if (result.ok && result.principal.kind === 'person') return { person: result.principal };
      deleteCookie(c, session, { path: '/', secure });
      return result.ok ? {} : { refusal: result.message };
    },
    setSession(c, token) {
      setCookie(c, session, token, { ...base, path: '/' });
    },
    clearSession(c) {
      deleteCookie(c, session, { path: '/', secure });
    },
    verifyToken(c) {
      const value = getCookie(c, verify);
      return value && value.length <= 200 ? value : undefined;
    },
    setVerifyToken(c, token) {
      setCookie(c, verify, token, flow);
    },
    clearVerifyToken(c) {
      deleteCookie(c, verify, { path: VERIFY_PATH, secure });
    },
    returnPath(c) {
      const value = getCookie(c, back);
      return value && RETURN_PATH.test(value) ? value : undefined;
    },
    setReturnPath(c, path) {
      if (RETURN_PATH.test(path)) setCookie(c, back, path, flow);
    },
    clearReturnPath(c) {
      deleteCookie(c, back, { path: VERIFY_PATH, secure });
    },
  };
}
