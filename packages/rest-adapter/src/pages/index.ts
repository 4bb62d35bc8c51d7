/**
 * The pages for people, and the pieces another page (the billing portal) reuses: the escaping
 * `html` tag, the layout and form helpers, the CSRF middleware and the security headers.
 */
export { createPagesApp, FORM_BODY_LIMIT, isPagePath, type PagesOptions, pageSecurityHeaders } from './app.js';
export { ASSET_PREFIX, STYLESHEET_PATH, STYLESHEET_URL } from './assets.js';
export { CSRF_FIELD, type CsrfEnv, type CsrfOptions, csrfCookieName, csrfProtection, type FormFields } from './csrf.js';
export { escapeHtml, type HtmlValue, html, SafeHtml } from './html.js';
export {
  button,
  csrfField,
  errorSummary,
  type FieldOptions,
  field,
  hidden,
  type LayoutOptions,
  layout,
  notice,
  type PageOrganization,
  postForm,
  type SummaryItem,
} from './layout.js';
export { type PageContext, type PageProblem, type PagesEnv, pageProblem, redirectTo, sendPage } from './render.js';
export { VERIFY_PATH } from './session-cookie.js';
