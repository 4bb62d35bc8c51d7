/**
 * Errors as RFC 9457 problem details. The one place DomainError codes become HTTP statuses:
 * a complete Record, so a new code without a status fails to compile.
 */
import { z } from '@hono/zod-openapi';
import type { DomainError, DomainErrorCode } from '@zelto/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const HTTP_STATUS: Record<DomainErrorCode, ContentfulStatusCode> = {
  validation_failed: 422,
  slug_read_only: 422,
  invalid_logo: 422,
  logo_too_large: 413,
  owner_only_by_transfer: 422,
  unauthenticated: 401,
  invalid_credentials: 401,
  session_expired: 401,
  organization_required: 400,
  permission_denied: 403,
  not_a_member: 403,
  not_a_person: 403,
  email_not_verified: 403,
  invitation_email_mismatch: 403,
  key_role_exceeds_minter: 403,
  organization_not_found: 404,
  member_not_found: 404,
  invitation_not_found: 404,
  invite_link_not_found: 404,
  api_key_not_found: 404,
  domain_not_found: 404,
  portal_session_not_found: 404,
  invitation_expired: 410,
  invitation_revoked: 410,
  invite_link_expired: 410,
  invite_link_revoked: 410,
  verification_expired: 410,
  portal_session_expired: 410,
  owner_cannot_leave: 409,
  owner_cannot_be_removed: 409,
  owner_role_locked: 409,
  already_member: 409,
  already_invited: 409,
  invitation_already_accepted: 409,
  invitation_not_pending: 409,
  email_already_registered: 409,
  verification_code_invalid: 422,
  already_verified: 409,
  transfer_target_invalid: 409,
  concurrent_update: 409,
  idempotency_conflict: 409,
  domain_already_added: 409,
  domain_claimed: 409,
  domain_not_allowed: 422,
  domain_verification_failed: 422,
  domain_join_requires_verified_domain: 409,
  rate_limited: 429,
  quota_exhausted: 402,
  card_declined: 402,
  email_delivery_failed: 502,
  billing_provider_failed: 502,
};

/** Codes of errors the adapter itself raises (malformed HTTP, unknown routes, crashes). */
export type AdapterErrorCode =
  | 'malformed_request'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'not_ready'
  | 'internal_error';

export const problemSchema = z
  .object({
    type: z.string().describe('A URI naming the kind of problem: urn:zelto:error:<code>.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe('What happened and what to do next.'),
    instance: z.string().describe('The request path.'),
    code: z.string().describe('A stable, machine-readable error code.'),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Every failing field, for validation errors.'),
    retryAfterSeconds: z.number().int().optional(),
    billingPortalUrl: z.string().optional().describe('Where to add a payment method, when usage is refused for quota.'),
    results: z.array(z.record(z.string(), z.unknown())).optional().describe('Per-event outcomes, when a usage batch was refused.'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });
export type Problem = z.infer<typeof problemSchema>;

function titleOf(code: string): string {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Writes a problem+json response. */
export function problem(c: Context, status: ContentfulStatusCode, code: string, detail: string, extra: Partial<Problem> = {}): Response {
  const body: Problem = {
    type: `urn:zelto:error:${code}`,
    title: titleOf(code),
    status,
    detail,
    instance: c.req.path,
    code,
    requestId: c.get('requestId') as string | undefined,
    ...extra,
  };
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json' };
  if (extra.retryAfterSeconds !== undefined) headers['Retry-After'] = String(extra.retryAfterSeconds);
  return c.body(JSON.stringify(body), status, headers);
}

/** A DomainError as a problem response: the status from the table, details kept. */
export function domainProblem(c: Context, error: DomainError): Response {
  const { issues, retryAfterSeconds, billingPortalUrl, results } = error.details;
  return problem(c, HTTP_STATUS[error.code], error.code, error.message, {
    ...(issues ? { errors: issues } : {}),
    ...(Array.isArray(results) ? { results: results as Array<Record<string, unknown>> } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(billingPortalUrl ? { billingPortalUrl } : {}),
  });
}
