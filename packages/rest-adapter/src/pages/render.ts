/**
 * Writing pages, and the one place the pages turn a DomainError into what a person sees: the
 * status from the REST adapter's table (so a revoked link is a 410 on both), the core's own
 * message, and its failing fields.
 */
import type { Core, DomainError } from '@zelto/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTP_STATUS } from '../problem.js';
import type { CsrfEnv } from './csrf.js';
import { type LayoutOptions, layout, type SummaryItem } from './layout.js';

export interface PagesEnv {
  Variables: CsrfEnv['Variables'] & { requestId: string };
}

export type PageContext = Context<PagesEnv>;

/** Sends a whole page. Pages carry CSRF tokens and personal details: never cached. */
export function sendPage(c: Context, status: ContentfulStatusCode, options: LayoutOptions): Response {
  c.header('Cache-Control', 'no-store');
  return c.html(layout(options).toString(), status);
}

/** A 303 to one of our own paths (relative, so `form-action 'self'` and proxies agree). */
export function redirectTo(c: Context, path: string): Response {
  c.header('Cache-Control', 'no-store');
  return c.redirect(path, 303);
}

/** A DomainError as a page shows it. */
export interface PageProblem {
  status: ContentfulStatusCode;
  code: DomainError['code'];
  message: string;
  /** The message of each failing field, by the core's field path (`email`, `code`, ...). */
  fields: Record<string, string>;
}

export function pageProblem(c: Context, error: DomainError): PageProblem {
  const fields: Record<string, string> = {};
  for (const issue of error.details.issues ?? []) fields[issue.path] ??= issue.message;
  if (error.details.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.details.retryAfterSeconds));
  return { status: HTTP_STATUS[error.code], code: error.code, message: error.message, fields };
}

/**
 * The error summary of a form: each failing field links to its input (`<form>-<field>` ids);
 * an error about no particular field is listed as the core wrote it.
 */
export function summaryOf(problem: PageProblem | undefined, formId: string, visibleFields: readonly string[]): SummaryItem[] {
  if (!problem) return [];
  const entries = Object.entries(problem.fields);
  if (entries.length === 0) return [{ message: problem.message }];
  return entries.map(([path, message]) =>
    visibleFields.includes(path) ? { message, fieldId: `${formId}-${path}` } : { message: `${path}: ${message}` },
  );
}

/** The id of the input to focus first: the first failing field of the form that failed. */
export function firstInvalid(problem: PageProblem | undefined, fields: readonly string[]): string | undefined {
  return fields.find((f) => problem?.fields[f] !== undefined);
}

/** A session the core issued (sign-in, verification): what the pages put in the cookie. */
export type IssuedSession = Awaited<ReturnType<Core['accounts']['signIn']>>;
