/**
 * The one error model of the core. Adapters map `code` to their protocol in exactly one
 * place (REST: a complete Record<DomainErrorCode, number>; MCP: an isError result).
 * Messages are written for the person or assistant reading them: what happened and what
 * to do next. No HTTP status lives here.
 */
export const DOMAIN_ERROR_CODES = [
  // input
  'validation_failed',
  'slug_read_only',
  'invalid_logo',
  'logo_too_large',
  'owner_only_by_transfer',
  // authentication
  'unauthenticated',
  'invalid_credentials',
  'session_expired',
  'organization_required',
  // authorization
  'permission_denied',
  'not_a_member',
  'not_a_person',
  'email_not_verified',
  'invitation_email_mismatch',
  'key_role_exceeds_minter',
  // not found (also: another organization's object)
  'organization_not_found',
  'member_not_found',
  'invitation_not_found',
  'invite_link_not_found',
  'api_key_not_found',
  'domain_not_found',
  'portal_session_not_found',
  // gone
  'invitation_expired',
  'invitation_revoked',
  'invite_link_expired',
  'invite_link_revoked',
  'verification_expired',
  'portal_session_expired',
  // conflicts
  'owner_cannot_leave',
  'owner_cannot_be_removed',
  'owner_role_locked',
  'already_member',
  'already_invited',
  'invitation_already_accepted',
  'invitation_not_pending',
  'email_already_registered',
  'verification_code_invalid',
  'already_verified',
  'transfer_target_invalid',
  'concurrent_update',
  'idempotency_conflict',
  'domain_already_added',
  'domain_claimed',
  'domain_not_allowed',
  'domain_verification_failed',
  'domain_join_requires_verified_domain',
  // limits
  'rate_limited',
  'quota_exhausted',
  'card_declined',
  // dependencies
  'email_delivery_failed',
  'billing_provider_failed',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** One failing input field: a dotted path (`emails.2`, `timezone`) and why it failed. */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface DomainErrorDetails {
  /** Every failing field of a validation error. */
  issues?: FieldIssue[];
  /** Seconds until a rate-limited caller may try again. */
  retryAfterSeconds?: number;
  /** Where a person adds a payment method (quota_exhausted). */
  billingPortalUrl?: string;
  [key: string]: unknown;
}

/** The core's only error type: a stable code and a message that says what to do next. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: DomainErrorCode;
  readonly details: DomainErrorDetails;

  constructor(code: DomainErrorCode, message: string, details: DomainErrorDetails = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** True for a DomainError, including one from another copy of this module. */
export function isDomainError(error: unknown): error is DomainError {
  return (
    error instanceof DomainError ||
    (error instanceof Error && error.name === 'DomainError' && typeof (error as { code?: unknown }).code === 'string')
  );
}
