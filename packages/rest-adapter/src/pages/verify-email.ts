/**
 * `/verify-email`: where the verification email's link lands, and a form for the address and
 * its 6-digit code. The link's token never stays in the address bar: it moves into a
 * short-lived HttpOnly cookie and the browser is redirected to the bare `/verify-email`, where
 * one button confirms. A GET never verifies, so a mail scanner that prefetches the link does
 * not use it up (or get a session).
 */
import { isDomainError } from '@zelto/core';
import type { Hono } from 'hono';
import type { PagesDeps } from './flow.js';
import { html } from './html.js';
import { button, errorSummary, field, notice, postForm } from './layout.js';
import {
  firstInvalid,
  type IssuedSession,
  type PageContext,
  type PageProblem,
  type PagesEnv,
  pageProblem,
  redirectTo,
  sendPage,
  summaryOf,
} from './render.js';
import { VERIFY_PATH } from './session-cookie.js';

const CODE_FIELDS = ['email', 'code'] as const;

type View =
  | { kind: 'code'; email?: string | undefined; message?: string | undefined; problem?: PageProblem | undefined }
  | { kind: 'confirm' }
  | { kind: 'verified'; email: string };

export function mountVerifyEmail(app: Hono<PagesEnv>, deps: PagesDeps): void {
  const { core, cookies } = deps;

  function render(c: PageContext, view: View, status: 200 | PageProblem['status'] = 200): Response {
    const csrf = c.get('csrfToken');
    switch (view.kind) {
      case 'confirm':
        return sendPage(c, status, {
          title: 'Verify your email address',
          body: html`<h1>Verify your email address</h1>
<p>You opened the link from your Zelto verification email. Confirm to verify your address and sign in.</p>
${postForm(VERIFY_PATH, csrf, html`<div class="actions">${button('Verify my email', { intent: 'link' })}</div>`, { label: 'Verify my email' })}`,
        });
      case 'verified':
        return sendPage(c, status, {
          title: 'Your email is verified',
          body: html`<h1>Your email is verified</h1>
${notice(html`<strong>${view.email}</strong> is verified, and you're signed in.`, 'success')}
<p>Go back to the page you signed up on to continue, or close this page.</p>`,
        });
      case 'code': {
        const focus = view.problem ? (firstInvalid(view.problem, CODE_FIELDS) ?? 'email') : 'email';
        return sendPage(c, status, {
          title: 'Verify your email address',
          body: html`<h1>Verify your email address</h1>
<p>Enter the address you signed up with and the 6-digit code from the email we sent you.</p>
${view.message ? notice(view.message) : null}
${errorSummary(summaryOf(view.problem, 'verify', CODE_FIELDS))}
${postForm(
  VERIFY_PATH,
  csrf,
  html`${field({
    id: 'verify-email',
    name: 'email',
    label: 'Email address',
    type: 'email',
    value: view.email,
    autocomplete: 'email',
    error: view.problem?.fields.email,
    autofocus: focus === 'email',
  })}
${field({
  id: 'verify-code',
  name: 'code',
  label: '6-digit code',
  inputmode: 'numeric',
  autocomplete: 'one-time-code',
  hint: 'Lost it, or it expired? Enter your address and send a new code.',
  error: view.problem?.fields.code,
  autofocus: focus === 'code',
})}
<div class="actions">${button('Verify', { intent: 'code' })} ${button('Send a new code', { intent: 'resend', secondary: true, formnovalidate: true })}</div>`,
  { label: 'Verify your email address' },
)}`,
        });
      }
    }
  }

  /** Signs the browser in and returns to the join or invitation page the person started on. */
  function verified(c: PageContext, session: IssuedSession): Response {
    cookies.setSession(c, session.token);
    cookies.clearVerifyToken(c);
    const back = cookies.returnPath(c);
    cookies.clearReturnPath(c);
    if (back) return redirectTo(c, back);
    return render(c, { kind: 'verified', email: session.user.email });
  }

  app.get(VERIFY_PATH, async (c) => {
    const token = c.req.query('token');
    if (token !== undefined) {
      // The core judges the token on confirmation; an absurd one is simply not kept.
      if (token.length > 0 && token.length <= 200) cookies.setVerifyToken(c, token);
      return redirectTo(c, VERIFY_PATH);
    }
    return render(c, cookies.verifyToken(c) ? { kind: 'confirm' } : { kind: 'code' });
  });

  app.post(VERIFY_PATH, async (c) => {
    const form = c.get('form');
    const client = { ip: deps.clientIp(c) };
    const email = form.email ?? '';
    switch (form.intent) {
      case 'code':
        try {
          return verified(c, await core.accounts.verifyEmail({ email, code: form.code ?? '' }, client));
        } catch (error) {
          if (!isDomainError(error)) throw error;
          const problem = pageProblem(c, error);
          return render(c, { kind: 'code', email, problem }, problem.status);
        }
      case 'resend':
        try {
          const result = await core.accounts.resendVerification({ email }, client);
          return render(c, { kind: 'code', email: result.email, message: result.message });
        } catch (error) {
          if (!isDomainError(error)) throw error;
          const problem = pageProblem(c, error);
          return render(c, { kind: 'code', email, problem }, problem.status);
        }
      case 'link': {
        const token = cookies.verifyToken(c);
        if (!token) {
          return render(c, {
            kind: 'code',
            message: 'This browser no longer holds the link from the email. Open the link again, or enter the code.',
          });
        }
        try {
          return verified(c, await core.accounts.verifyEmail({ token }, client));
        } catch (error) {
          if (!isDomainError(error)) throw error;
          // Spent or not, the token is no use to this browser any more: a retry starts from the email.
          cookies.clearVerifyToken(c);
          const problem = pageProblem(c, error);
          if (error.code === 'validation_failed') {
            // A token the core cannot parse is a mangled link; its field message would mean nothing here.
            problem.fields = {};
            problem.message = 'This verification link is not complete or not valid. Enter the code from the email, or ask for a new one.';
          }
          return render(c, { kind: 'code', problem }, problem.status);
        }
      }
      default:
        return render(c, { kind: 'code', email }, 400);
    }
  });
}
