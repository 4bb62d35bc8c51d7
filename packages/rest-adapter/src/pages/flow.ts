/**
 * The shape shared by the invite-link page and the invitation page: show the organization, let
 * the person sign in or create an account (verifying the emailed code), then do the one thing
 * the link is for (join, accept) and say where they landed. Every decision is the core's: the
 * page maps a form's intent to one core call and the call's DomainError to what is shown.
 */
import { type Core, type DomainErrorCode, isDomainError, type PersonPrincipal, refusalError } from '@zelto/core';
import type { Hono } from 'hono';
import { HTTP_STATUS } from '../problem.js';
import { html, type SafeHtml } from './html.js';
import { button, errorSummary, field, hidden, notice, type PageOrganization, postForm } from './layout.js';
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
import type { PageCookies } from './session-cookie.js';

export interface FlowOrganization extends PageOrganization {
  id: string;
  defaultLocale: string;
}

/** What the core's preview says about a link, in the terms the page needs. */
export interface FlowPreview {
  organization: FlowOrganization;
  /** The sentence under the heading: who is invited where, with which role. */
  intro: SafeHtml;
  /** The address the link is for (an invitation): prefilled in the forms. */
  email?: string;
  /** A state the core reports as a value, not an error, that lets nobody in (an invitation no longer pending). */
  closed?: { code: DomainErrorCode; message: string };
}

/** Where the person landed, from the core's join or accept. */
export interface FlowResult {
  organization: { name: string };
  member: { role: string };
  alreadyMember: boolean;
}

export interface FlowSpec {
  /** `/join` or `/invitations`. */
  base: string;
  /** The page's h1. */
  heading(org: FlowOrganization): string;
  /** The button that does what the link is for. */
  completeLabel(org: FlowOrganization): string;
  signInLabel: string;
  verifyLabel: string;
  preview(token: string): Promise<FlowPreview>;
  complete(person: PersonPrincipal, token: string, client: { ip?: string | undefined }): Promise<FlowResult>;
  /**
   * Whether a signed-in member of the organization is told so straight away. True for the
   * invite link (joining again would change nothing); for an invitation only once it was
   * accepted, since accepting a pending one can still raise a member to admin.
   */
  showsMembershipFirst(preview: FlowPreview): boolean;
}

export interface PagesDeps {
  core: Core;
  cookies: PageCookies;
  clientIp(c: PageContext): string | undefined;
}

/** Headings for the core's errors about a link itself; the core's message says what to do. */
const LINK_ERROR_TITLES: Partial<Record<DomainErrorCode, string>> = {
  invite_link_not_found: 'This invite link is not valid',
  invite_link_revoked: 'This invite link no longer works',
  invite_link_expired: 'This invite link has expired',
  invitation_not_found: 'This invitation link is not valid',
  invitation_revoked: 'This invitation was revoked',
  invitation_expired: 'This invitation has expired',
  invitation_already_accepted: 'This invitation was already accepted',
};

type FormId = 'sign-in' | 'sign-up' | 'verify' | 'complete';

interface FormError {
  form: FormId;
  problem: PageProblem;
}

type View =
  | { kind: 'choose'; email?: string | undefined; name?: string | undefined; message?: string | undefined; error?: FormError }
  | { kind: 'signed-in'; person: PersonPrincipal; error?: FormError }
  | { kind: 'verify'; email: string; message?: string | undefined; error?: FormError }
  | { kind: 'done'; person: PersonPrincipal; role: string; alreadyMember: boolean };

const FIELDS: Record<FormId, readonly string[]> = {
  'sign-in': ['email', 'password'],
  'sign-up': ['name', 'email', 'password'],
  verify: ['code'],
  complete: [],
};

/** Where to put the cursor after an error that names no field (a wrong password keeps the email). */
const RETRY_FIELD: Record<FormId, string | undefined> = { 'sign-in': 'password', 'sign-up': 'name', verify: 'code', complete: undefined };

/** The error props of one form's fields, for `field()`: its messages, and focus on the first failing one. */
function fieldState(error: FormError | undefined, form: FormId) {
  const problem = error?.form === form ? error.problem : undefined;
  const focus = problem ? (firstInvalid(problem, FIELDS[form]) ?? RETRY_FIELD[form]) : undefined;
  return {
    error: (name: string) => problem?.fields[name],
    autofocus: (name: string) => focus === name,
  };
}

/** The one error summary of a page, at the top of the card, for the form that failed. */
function summaryFor(error: FormError | undefined): SafeHtml {
  return error ? errorSummary(summaryOf(error.problem, error.form, FIELDS[error.form])) : html``;
}

/** Sends the error page for a link that lets nobody in: 404 unknown, 410 revoked or expired. */
function linkErrorPage(c: PageContext, problem: PageProblem, organization?: PageOrganization): Response {
  const title = LINK_ERROR_TITLES[problem.code] ?? 'This link cannot be used';
  return sendPage(c, problem.status, {
    title,
    organization,
    body: html`<h1>${title}</h1>
<p>${problem.message}</p>`,
  });
}

export function mountFlow(app: Hono<PagesEnv>, deps: PagesDeps, spec: FlowSpec): void {
  const { core, cookies } = deps;
  const pathOf = (token: string) => `${spec.base}/${encodeURIComponent(token)}`;

  async function load(c: PageContext, token: string): Promise<FlowPreview | Response> {
    try {
      return await spec.preview(token);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const problem = pageProblem(c, error);
      // A token the core cannot even parse (empty, too long) is an unknown token to a person.
      if (error.code === 'validation_failed') {
        return linkErrorPage(c, {
          ...problem,
          status: 404,
          message: 'This link is not complete or not valid. Check that you opened the whole link, or ask an admin for a new one.',
        });
      }
      return linkErrorPage(c, problem);
    }
  }

  function render(c: PageContext, token: string, preview: FlowPreview, view: View, status: 200 | PageProblem['status'] = 200) {
    const org = preview.organization;
    const action = pathOf(token);
    const csrf = c.get('csrfToken');
    const signOut = (person: PersonPrincipal) =>
      postForm(
        action,
        csrf,
        html`<p class="signed-in">Signed in as <strong>${person.email}</strong>. Not you? ${button('Sign out', { intent: 'sign-out', secondary: true })}</p>`,
        {
          label: 'Sign out',
        },
      );

    let title = spec.heading(org);
    let body: SafeHtml;
    switch (view.kind) {
      case 'choose': {
        const signIn = fieldState(view.error, 'sign-in');
        const signUp = fieldState(view.error, 'sign-up');
        // What was typed goes back into the form it was typed in; an invitation prefills its address.
        const typed = (form: FormId) => (view.error?.form === form ? view : undefined);
        const signInEmail = typed('sign-in')?.email ?? preview.email;
        const signUpEmail = typed('sign-up')?.email ?? preview.email;
        body = html`<h1>${title}</h1>
<p>${preview.intro}</p>
${view.message ? notice(view.message) : null}
${summaryFor(view.error)}
<section aria-labelledby="sign-in-title">
<h2 id="sign-in-title">Sign in</h2>
${postForm(
  action,
  csrf,
  html`${field({ id: 'sign-in-email', name: 'email', label: 'Email address', type: 'email', value: signInEmail, autocomplete: 'username', error: signIn.error('email'), autofocus: signIn.autofocus('email') })}
${field({ id: 'sign-in-password', name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', error: signIn.error('password'), autofocus: signIn.autofocus('password') })}
<div class="actions">${button(spec.signInLabel, { intent: 'sign-in' })}</div>`,
  { label: 'Sign in' },
)}
</section>
<section aria-labelledby="sign-up-title">
<h2 id="sign-up-title">New to Zelto? Create an account</h2>
${postForm(
  action,
  csrf,
  html`${field({ id: 'sign-up-name', name: 'name', label: 'Your name', value: typed('sign-up')?.name, autocomplete: 'name', error: signUp.error('name'), autofocus: signUp.autofocus('name') })}
${field({ id: 'sign-up-email', name: 'email', label: 'Email address', type: 'email', value: signUpEmail, autocomplete: 'email', error: signUp.error('email'), autofocus: signUp.autofocus('email') })}
${field({ id: 'sign-up-password', name: 'password', label: 'Choose a password', type: 'password', autocomplete: 'new-password', hint: 'At least 10 characters.', error: signUp.error('password'), autofocus: signUp.autofocus('password') })}
<div class="actions">${button('Create account', { intent: 'sign-up' })}</div>`,
  { label: 'Create an account' },
)}
</section>`;
        break;
      }
      case 'signed-in': {
        body = html`<h1>${title}</h1>
<p>${preview.intro}</p>
${summaryFor(view.error)}
${postForm(action, csrf, html`<div class="actions">${button(spec.completeLabel(org), { intent: 'complete' })}</div>`, { label: spec.completeLabel(org) })}
${signOut(view.person)}`;
        break;
      }
      case 'verify': {
        title = 'Check your email';
        const verify = fieldState(view.error, 'verify');
        body = html`<h1>${title}</h1>
${view.message ? notice(view.message) : null}
${summaryFor(view.error)}
${postForm(
  action,
  csrf,
  html`${hidden('email', view.email)}
${field({ id: 'verify-code', name: 'code', label: '6-digit code', hint: `From the email we sent to ${view.email}.`, inputmode: 'numeric', autocomplete: 'one-time-code', error: verify.error('code'), autofocus: true })}
<div class="actions">${button(spec.verifyLabel, { intent: 'verify' })} ${button('Send a new code', { intent: 'resend', secondary: true, formnovalidate: true })}</div>`,
  { label: 'Verify your email' },
)}
<p>You can also open the link in the email instead.</p>`;
        break;
      }
      case 'done': {
        title = view.alreadyMember ? "You're already a member" : "You're in";
        const sentence = view.alreadyMember
          ? html`You're already a member of <strong>${org.name}</strong> as <strong>${view.role}</strong>.`
          : html`You're a member of <strong>${org.name}</strong> as <strong>${view.role}</strong>.`;
        body = html`<h1>${title}</h1>
${notice(sentence, 'success')}
<p>There is nothing more to do here: you can close this page.</p>
${signOut(view.person)}`;
        break;
      }
    }
    return sendPage(c, status, { title, organization: org, body });
  }

  /** Does what the link is for, as a person, and shows where they landed or why not. */
  async function complete(c: PageContext, token: string, preview: FlowPreview, person: PersonPrincipal): Promise<Response> {
    try {
      const result = await spec.complete(person, token, { ip: deps.clientIp(c) });
      return render(c, token, preview, { kind: 'done', person, role: result.member.role, alreadyMember: result.alreadyMember });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const problem = pageProblem(c, error);
      if (error.code === 'email_not_verified') {
        // The core's message asks for the emailed code: show the form to enter it.
        cookies.setReturnPath(c, pathOf(token));
        return render(c, token, preview, { kind: 'verify', email: person.email, message: problem.message }, problem.status);
      }
      return render(c, token, preview, { kind: 'signed-in', person, error: { form: 'complete', problem } }, problem.status);
    }
  }

  /** Signs the browser in with a session the core just issued, then completes. */
  async function signedIn(c: PageContext, token: string, preview: FlowPreview, session: IssuedSession): Promise<Response> {
    cookies.setSession(c, session.token);
    const auth = await core.authenticate(session.token);
    if (!auth.ok) throw refusalError(auth);
    if (auth.principal.kind !== 'person') throw new Error('a session token authenticated as something else than a person');
    return complete(c, token, preview, auth.principal);
  }

  /** GET, and every POST that only needs to show the page again. */
  async function show(c: PageContext, token: string, preview: FlowPreview): Promise<Response> {
    const { person, refusal } = await cookies.session(c);
    if (person && spec.showsMembershipFirst(preview)) {
      const { memberships } = await core.accounts.me(person);
      const membership = memberships.find((m) => m.organization.id === preview.organization.id);
      if (membership) return render(c, token, preview, { kind: 'done', person, role: membership.role, alreadyMember: true });
    }
    if (preview.closed) {
      const { code, message } = preview.closed;
      return linkErrorPage(c, { code, message, status: HTTP_STATUS[code], fields: {} }, preview.organization);
    }
    return render(c, token, preview, person ? { kind: 'signed-in', person } : { kind: 'choose', message: refusal });
  }

  app.get(`${spec.base}/:token`, async (c) => {
    const token = c.req.param('token');
    const preview = await load(c, token);
    if (preview instanceof Response) return preview;
    return show(c, token, preview);
  });

  app.post(`${spec.base}/:token`, async (c) => {
    const token = c.req.param('token');
    const preview = await load(c, token);
    if (preview instanceof Response) return preview;
    const form = c.get('form');
    const client = { ip: deps.clientIp(c) };
    const intent = form.intent;

    if (intent === 'sign-out') {
      const { person } = await cookies.session(c);
      if (person) await core.accounts.signOut(person);
      cookies.clearSession(c);
      return redirectTo(c, pathOf(token));
    }
    // A link that lets nobody in accepts no action; the page says why.
    if (preview.closed) return show(c, token, preview);

    switch (intent) {
      case 'sign-in': {
        try {
          const session = await core.accounts.signIn({ email: form.email ?? '', password: form.password ?? '' }, client);
          return await signedIn(c, token, preview, session);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          const problem = pageProblem(c, error);
          return render(c, token, preview, { kind: 'choose', email: form.email, error: { form: 'sign-in', problem } }, problem.status);
        }
      }
      case 'sign-up': {
        try {
          const result = await core.accounts.signUp(
            // New accounts start in the organization's default locale.
            { name: form.name ?? '', email: form.email ?? '', password: form.password ?? '', locale: preview.organization.defaultLocale },
            client,
          );
          cookies.setReturnPath(c, pathOf(token));
          return render(c, token, preview, { kind: 'verify', email: result.email, message: result.message });
        } catch (error) {
          if (!isDomainError(error)) throw error;
          const problem = pageProblem(c, error);
          return render(
            c,
            token,
            preview,
            { kind: 'choose', email: form.email, name: form.name, error: { form: 'sign-up', problem } },
            problem.status,
          );
        }
      }
      case 'verify': {
        const email = form.email ?? '';
        try {
          const session = await core.accounts.verifyEmail({ email, code: form.code ?? '' }, client);
          cookies.clearReturnPath(c);
          return await signedIn(c, token, preview, session);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          const problem = pageProblem(c, error);
          return render(c, token, preview, { kind: 'verify', email, error: { form: 'verify', problem } }, problem.status);
        }
      }
      case 'resend': {
        const email = form.email ?? '';
        try {
          const result = await core.accounts.resendVerification({ email }, client);
          return render(c, token, preview, { kind: 'verify', email, message: result.message });
        } catch (error) {
          if (!isDomainError(error)) throw error;
          const problem = pageProblem(c, error);
          return render(c, token, preview, { kind: 'verify', email, error: { form: 'verify', problem } }, problem.status);
        }
      }
      case 'complete': {
        const { person, refusal } = await cookies.session(c);
        if (!person) {
          return render(c, token, preview, { kind: 'choose', message: refusal ?? 'Sign in or create an account first.' }, 401);
        }
        return complete(c, token, preview, person);
      }
      default:
        return sendPage(c, 400, {
          title: 'This form could not be read',
          organization: preview.organization,
          body: html`<h1>This form could not be read</h1>
<p>Go back to <a href="${pathOf(token)}">the page</a>, reload it and try again.</p>`,
        });
    }
  });
}
