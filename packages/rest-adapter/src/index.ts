export { createRestApp, JSON_BODY_LIMIT, type RestOptions } from './app.js';
export type { Logger, RestEnv } from './env.js';
export {
  button,
  CSRF_FIELD,
  createPagesApp,
  csrfField,
  csrfProtection,
  errorSummary,
  escapeHtml,
  field,
  hidden,
  html,
  isPagePath,
  layout,
  notice,
  type PageContext,
  type PagesEnv,
  type PagesOptions,
  pageProblem,
  pageSecurityHeaders,
  postForm,
  SafeHtml,
  sendPage,
} from './pages/index.js';
export { HTTP_STATUS, type Problem, problem, problemSchema } from './problem.js';
export { type HandlerInput, mount, type RouteSpec } from './route.js';
