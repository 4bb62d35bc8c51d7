/**
 * The pages' one stylesheet, served by the pages app (the CSP allows `style-src 'self'` and no
 * inline style). Its URL carries a digest of its content, so it can be cached for good.
 */
import { createHash } from 'node:crypto';

export const ASSET_PREFIX = '/assets/';
export const STYLESHEET_PATH = `${ASSET_PREFIX}pages.css`;

export const STYLESHEET = `
:root {
  color-scheme: light;
  --ink: #1b1f24;
  --muted: #57606a;
  --line: #d0d7de;
  --page: #f3f4f6;
  --card: #ffffff;
  --accent: #0b57d0;
  --accent-ink: #ffffff;
  --danger: #b3261e;
  --danger-bg: #fdecea;
  --ok: #146c2e;
  --ok-bg: #e6f4ea;
  --focus: #ffbf47;
}
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  background: var(--page);
  color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 1.0625rem;
  line-height: 1.5;
  display: flex;
  flex-direction: column;
  align-items: center;
  padding: 2rem 1rem;
}
.skip-link { position: absolute; left: -9999px; top: 0; }
.skip-link:focus { left: 1rem; top: 1rem; background: var(--card); padding: .5rem 1rem; z-index: 1; }
.brand { display: flex; align-items: center; gap: .75rem; margin-bottom: 1.25rem; font-weight: 600; font-size: 1.25rem; }
.brand img { width: 48px; height: 48px; object-fit: contain; border-radius: 8px; background: var(--card); }
.card {
  width: 100%;
  max-width: 30rem;
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: 12px;
  padding: 2rem;
  box-shadow: 0 1px 3px rgba(0, 0, 0, .06);
}
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
p { margin: 0 0 1rem; }
form { margin-bottom: 1.25rem; }
section + section { border-top: 1px solid var(--line); margin-top: 1.5rem; }
.field { margin-bottom: 1rem; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
.hint { color: var(--muted); font-size: .95rem; margin: 0 0 .25rem; }
input[type="text"], input[type="email"], input[type="password"] {
  width: 100%;
  font: inherit;
  padding: .55rem .7rem;
  border: 2px solid var(--muted);
  border-radius: 6px;
  background: var(--card);
  color: var(--ink);
}
.field-error input { border-color: var(--danger); }
.error-message { color: var(--danger); font-weight: 600; margin: 0 0 .25rem; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-top: 1.25rem; }
button {
  font: inherit;
  font-weight: 600;
  padding: .6rem 1.2rem;
  border-radius: 6px;
  border: 2px solid var(--accent);
  background: var(--accent);
  color: var(--accent-ink);
  cursor: pointer;
}
button.secondary { background: var(--card); color: var(--accent); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, .error-summary:focus {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
  box-shadow: 0 0 0 5px var(--ink);
}
.error-summary { border: 3px solid var(--danger); background: var(--danger-bg); border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1.5rem; }
.error-summary h2 { margin-top: 0; font-size: 1.1rem; }
.error-summary ul { margin: 0; padding-left: 1.25rem; }
.error-summary a { color: var(--danger); font-weight: 600; }
.notice { border-left: 5px solid var(--accent); background: #eef3fd; padding: .75rem 1rem; margin-bottom: 1.25rem; }
.success { border-left: 5px solid var(--ok); background: var(--ok-bg); padding: .75rem 1rem; margin-bottom: 1.25rem; }
.notice p, .success p { margin: 0; }
.signed-in { color: var(--muted); font-size: .95rem; }
.inline-form { display: inline; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { margin-top: 1.5rem; color: var(--muted); font-size: .875rem; }
@media (prefers-reduced-motion: no-preference) { button { transition: background-color .15s; } }
`.trimStart();

/** A short digest of the stylesheet: part of its URL, so a new version is never served from cache. */
export const STYLESHEET_VERSION = createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 16);

export const STYLESHEET_URL = `${STYLESHEET_PATH}?v=${STYLESHEET_VERSION}`;
