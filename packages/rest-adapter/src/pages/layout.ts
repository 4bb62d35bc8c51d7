/**
 * The pages' shared look: one document layout (organization header, a centered card) and the
 * form pieces every page uses, written once so every page gets labels, error associations and
 * the CSRF field the same way. The billing portal page reuses these.
 */
import { STYLESHEET_URL } from './assets.js';
import { CSRF_FIELD } from './csrf.js';
import { type HtmlValue, html, type SafeHtml } from './html.js';

/** What a page shows of the organization it is about. */
export interface PageOrganization {
  name: string;
  logoUrl: string | null;
}

export interface LayoutOptions {
  /** The document title (the page's h1 says the same in its own words). */
  title: string;
  /** The organization in the header; Zelto's name when absent. */
  organization?: PageOrganization | undefined;
  body: SafeHtml;
}

/** A whole HTML document. The text is English, hence `lang="en"`. */
export function layout(options: LayoutOptions): SafeHtml {
  const org = options.organization;
  const brand = org
    ? html`${org.logoUrl ? html`<img src="${org.logoUrl}" alt="" width="48" height="48">` : null}<span>${org.name}</span>`
    : html`<span>Zelto</span>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Zelto</title>
<link rel="stylesheet" href="${STYLESHEET_URL}">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="brand">${brand}</header>
<main id="main" class="card">
${options.body}
</main>
${org ? html`<footer>Zelto</footer>` : null}
</body>
</html>
`;
}

export interface FieldOptions {
  /** The element id; also the prefix of its hint's and error's ids. */
  id: string;
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string | undefined;
  autocomplete?: string;
  inputmode?: 'numeric' | 'email' | 'text';
  hint?: string;
  /** The message of a failing field, shown above the input and tied to it with aria-describedby. */
  error?: string | undefined;
  required?: boolean;
  autofocus?: boolean;
}

/** A labelled input with its hint and error, associated for assistive technology. */
export function field(o: FieldOptions): SafeHtml {
  const hintId = o.hint ? `${o.id}-hint` : undefined;
  const errorId = o.error ? `${o.id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  return html`<div class="field${o.error ? ' field-error' : ''}">
<label for="${o.id}">${o.label}</label>
${o.hint ? html`<p class="hint" id="${hintId}">${o.hint}</p>` : null}
${o.error ? html`<p class="error-message" id="${errorId}"><span class="visually-hidden">Error: </span>${o.error}</p>` : null}
<input id="${o.id}" name="${o.name}" type="${o.type ?? 'text'}"${o.value !== undefined && o.type !== 'password' ? html` value="${o.value}"` : null}${
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : null
  }${o.inputmode ? html` inputmode="${o.inputmode}"` : null}${describedBy ? html` aria-describedby="${describedBy}"` : null}${
    o.error ? html` aria-invalid="true"` : null
  }${o.required === false ? null : html` required`}${o.autofocus ? html` autofocus` : null}>
</div>`;
}

/** The hidden field that carries the CSRF token; every form posts it. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

export function hidden(name: string, value: string): SafeHtml {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

/** A submit button; `intent` tells the handler which action was asked for. */
export function button(label: string, options: { intent?: string; secondary?: boolean; formnovalidate?: boolean } = {}): SafeHtml {
  return html`<button type="submit"${options.intent ? html` name="intent" value="${options.intent}"` : null}${
    options.secondary ? html` class="secondary"` : null
  }${options.formnovalidate ? html` formnovalidate` : null}>${label}</button>`;
}

/** A POST form to `action` with the CSRF field. */
export function postForm(action: string, csrf: string, content: HtmlValue, options: { label?: string; className?: string } = {}): SafeHtml {
  return html`<form method="post" action="${action}"${options.label ? html` aria-label="${options.label}"` : null}${
    options.className ? html` class="${options.className}"` : null
  }>
${csrfField(csrf)}
${content}
</form>`;
}

/** One problem to list in the error summary; `fieldId` links it to its input. */
export interface SummaryItem {
  message: string;
  fieldId?: string | undefined;
}

/** The list of problems at the top of a form, each linking to its field. */
export function errorSummary(items: readonly SummaryItem[], title = 'There is a problem'): SafeHtml {
  if (items.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${title}</h2>
<ul>${items.map((i) => html`<li>${i.fieldId ? html`<a href="#${i.fieldId}">${i.message}</a>` : i.message}</li>`)}</ul>
</div>`;
}

/** A short message in a box: information, or a success. */
export function notice(message: HtmlValue, kind: 'info' | 'success' = 'info'): SafeHtml {
  return html`<div class="${kind === 'success' ? 'success' : 'notice'}" role="status"><p>${message}</p></div>`;
}
