/**
 * The pages for people: where the links Zelto sends land. Server-rendered HTML, plain forms,
 * no script. Like the REST routes, the pages hold no business rules: each form post is one
 * core call, and each DomainError is shown with the core's message and the REST status.
 */
import { type Core, isDomainError } from '@zelto/core';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { socketAddress } from '../app.js';
import { type Logger, logRequests, silentLogger } from '../env.js';
import { ASSET_PREFIX, STYLESHEET, STYLESHEET_PATH, STYLESHEET_VERSION } from './assets.js';
import { BILLING_PREFIX, mountBilling } from './billing.js';
import { csrfProtection } from './csrf.js';
import { mountFlow } from './flow.js';
import { html } from './html.js';
import { invitationFlow } from './invitations.js';
import { joinFlow } from './join.js';
import { type PagesEnv, pageProblem, sendPage } from './render.js';
import { pageCookies, VERIFY_PATH } from './session-cookie.js';
import { mountVerifyEmail } from './verify-email.js';

export interface PagesOptions {
  core: Core;
  /** The public base URL: its scheme decides `Secure` cookies, its origin may post forms and serve logos. */
  publicUrl: string;
  /** The caller's address for the core's per-client rate limits (as for REST). */
  clientIp?: (c: Context) => string | undefined;
  logger?: Logger;
}

/** A form post is a few short fields; anything bigger is not one of ours. */
export const FORM_BODY_LIMIT = 16 * 1024;

/** The paths the pages app answers; `zelto serve` sends these to it and everything else to REST or MCP. */
export function isPagePath(path: string): boolean {
  return (
    path.startsWith('/join/') ||
    path.startsWith('/invitations/') ||
    path === VERIFY_PATH ||
    path.startsWith(`${VERIFY_PATH}/`) ||
    path.startsWith(ASSET_PREFIX) ||
    path.startsWith(BILLING_PREFIX)
  );
}

/**
 * The security headers of every page: a CSP without any script (`default-src 'none'`), our
 * stylesheet and same-origin images (logos) only, forms posting only to us, no framing, no
 * `<base>`; no referrer (the join and invitation URLs are credentials); no MIME sniffing.
 */
export function pageSecurityHeaders(publicUrl: string) {
  const publicOrigin = new URL(publicUrl).origin;
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      imgSrc: ["'self'", publicOrigin],
      styleSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    xFrameOptions: 'DENY',
  });
}

/** Builds the pages app: `/join/<token>`, `/invitations/<token>`, `/verify-email`, `/billing/...` and the stylesheet. */
export function createPagesApp(options: PagesOptions): Hono<PagesEnv> {
  const { core } = options;
  const logger = options.logger ?? silentLogger;
  const secure = new URL(options.publicUrl).protocol === 'https:';
  const app = new Hono<PagesEnv>();

  app.use('*', requestId());
  app.use('*', logRequests(logger, 'pages'));
  app.use('*', pageSecurityHeaders(options.publicUrl));

  app.get(STYLESHEET_PATH, (c) => {
    const current = c.req.query('v') === STYLESHEET_VERSION;
    return c.body(STYLESHEET, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': current ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  });

  app.use(
    '*',
    bodyLimit({
      maxSize: FORM_BODY_LIMIT,
      onError: (c) =>
        sendPage(c, 413, {
          title: 'This form is too large',
          body: html`<h1>This form is too large</h1>
<p>Go back, shorten what you typed and try again.</p>`,
        }),
    }),
  );
  app.use(
    '*',
    csrfProtection({
      secure,
      allowedOrigins: [new URL(options.publicUrl).origin],
      refuse: (c) =>
        sendPage(c, 403, {
          title: 'This form has expired',
          body: html`<h1>This form has expired</h1>
<p>For your security, this form could not be accepted: it was open too long, cookies are blocked, or it was sent from another site. Nothing was changed.</p>
<p><a href="${c.req.path}">Reload the page</a> and try again.</p>`,
        }),
    }),
  );

  const deps = { core, cookies: pageCookies(core, secure), clientIp: options.clientIp ?? socketAddress };
  mountFlow(app, deps, joinFlow(core));
  mountFlow(app, deps, invitationFlow(core));
  mountVerifyEmail(app, deps);
  mountBilling(app, core);

  app.notFound((c) =>
    sendPage(c, 404, {
      title: 'Page not found',
      body: html`<h1>Page not found</h1>
<p>There is no page at this address. If you followed a link from an email, check that you opened the whole link.</p>`,
    }),
  );
  app.onError((error, c) => {
    if (isDomainError(error)) {
      const problem = pageProblem(c, error);
      return sendPage(c, problem.status, {
        title: 'Something went wrong',
        body: html`<h1>Something went wrong</h1>
<p>${problem.message}</p>`,
      });
    }
    logger.error({ requestId: c.get('requestId'), err: error }, 'unhandled error');
    return sendPage(c, 500, {
      title: 'Something went wrong',
      body: html`<h1>Something went wrong on our side</h1>
<p>Try again in a moment. If it keeps happening, tell us this request id: <code>${c.get('requestId')}</code>.</p>`,
    });
  });
  return app;
}
