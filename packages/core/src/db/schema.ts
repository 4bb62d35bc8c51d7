/**
 * Row types of every table, as kysely sees them. Times are integer milliseconds since the
 * epoch; booleans are 0/1 integers (portable across SQLite and PostgreSQL); quantities are
 * integer thousandths (see usage/quantity.ts).
 */
export type Role = 'member' | 'admin' | 'owner';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  /** Null for an account created by the operator that nobody has claimed yet. */
  password_hash: string | null;
  email_verified_at: number | null;
  locale: string;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface EmailVerificationsTable {
  id: string;
  user_id: string;
  code_hash: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  attempts: number;
  consumed_at: number | null;
  /** Set when an unverified or password-less account is claimed: applied on verification. */
  pending_password_hash: string | null;
  pending_name: string | null;
}

export interface OrganizationsTable {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  default_locale: string;
  domain_join: number;
  logo_sha256: string | null;
  created_at: number;
  updated_at: number;
}

export interface OrganizationLogosTable {
  org_id: string;
  content_type: string;
  bytes: Uint8Array;
  sha256: string;
  updated_at: number;
}

export type JoinedVia = 'creator' | 'invitation' | 'link' | 'domain';

export interface MembershipsTable {
  id: string;
  org_id: string;
  user_id: string;
  role: Role;
  joined_via: JoinedVia;
  joined_at: number;
}

export type InvitationRowStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InvitationsTable {
  id: string;
  org_id: string;
  email: string;
  role: Role;
  status: InvitationRowStatus;
  token_hash: string;
  invited_by_type: ActorType;
  invited_by_id: string | null;
  invited_by_label: string;
  created_at: number;
  sent_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_by_user_id: string | null;
  revoked_at: number | null;
}

export type InviteLinkRowStatus = 'active' | 'revoked' | 'superseded';

export interface InviteLinksTable {
  id: string;
  org_id: string;
  token: string;
  status: InviteLinkRowStatus;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  role: Role;
  secret_hash: string;
  stub: string;
  created_by_user_id: string | null;
  created_by_key_id: string | null;
  created_by_label: string;
  created_at: number;
  last_used_at: number | null;
}

export type ActorType = 'user' | 'api_key' | 'operator' | 'system';

export interface AuditEventsTable {
  id: string;
  org_id: string;
  actor_type: ActorType;
  actor_id: string | null;
  actor_label: string;
  /** For an API key actor: the person who minted it. */
  actor_minter_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  target_label: string | null;
  data: string | null;
  created_at: number;
}

export interface RateLimitsTable {
  bucket: string;
  window_start: number;
  count: number;
}

export interface MembershipRemovalsTable {
  org_id: string;
  user_id: string;
  removed_at: number;
}

export type DomainStatus = 'pending' | 'verified';

export interface DomainsTable {
  id: string;
  org_id: string;
  domain: string;
  status: DomainStatus;
  token: string;
  created_at: number;
  verified_at: number | null;
  last_checked_at: number | null;
}

export type Meter = 'calls_analyzed' | 'transcript_minutes';

export interface UsageEventsTable {
  id: string;
  org_id: string;
  meter: Meter;
  /** Thousandths of the meter's unit. */
  quantity: number;
  source: string;
  occurred_at: number;
  recorded_at: number;
  idempotency_key: string;
  /** SHA-256 of the event's canonical payload, to tell a retry from a conflicting reuse. */
  payload_hash: string;
  /** Thousandths drawn from the monthly quota, from grants, and billed as overage. */
  from_quota: number;
  from_grants: number;
  overage: number;
  /** The local month (YYYY-MM, organization timezone) the event counts toward. */
  period: string;
}

export interface UsageRollupsTable {
  org_id: string;
  meter: Meter;
  /** Start of the 15-minute UTC bucket the events occurred in (every IANA offset is a multiple of 15 minutes). */
  bucket_start: number;
  source: string;
  quantity: number;
  events: number;
}

export interface UsagePeriodsTable {
  org_id: string;
  meter: Meter;
  period: string;
  /** The monthly quota for this period, in thousandths. */
  quota: number;
  used: number;
  from_quota: number;
  from_grants: number;
  overage: number;
  notified_80: number;
  notified_100: number;
}

export interface QuotasTable {
  org_id: string;
  meter: Meter;
  monthly: number;
  updated_at: number;
}

export interface GrantsTable {
  id: string;
  org_id: string;
  meter: Meter;
  amount: number;
  remaining: number;
  expires_at: number | null;
  created_at: number;
}

export interface BillingAccountsTable {
  org_id: string;
  payment_method: number;
  payment_method_label: string | null;
  updated_at: number;
}

export interface BillingPortalSessionsTable {
  id: string;
  org_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  email_verifications: EmailVerificationsTable;
  organizations: OrganizationsTable;
  organization_logos: OrganizationLogosTable;
  memberships: MembershipsTable;
  membership_removals: MembershipRemovalsTable;
  invitations: InvitationsTable;
  invite_links: InviteLinksTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  rate_limits: RateLimitsTable;
  domains: DomainsTable;
  usage_events: UsageEventsTable;
  usage_rollups: UsageRollupsTable;
  usage_periods: UsagePeriodsTable;
  quotas: QuotasTable;
  grants: GrantsTable;
  billing_accounts: BillingAccountsTable;
  billing_portal_sessions: BillingPortalSessionsTable;
}
