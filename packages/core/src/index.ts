export { KEY_PREFIX, looksLikeApiKey } from './api-keys/key-format.js';
export { type Authentication, type Refusal, refusalError } from './auth/authenticate.js';
export type { BillingProvider, PortalSession } from './billing/provider.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export type { CoreConfig } from './context.js';
export { type Core, type CoreDeps, createCore } from './core.js';
export { migrateToLatest } from './db/migrations.js';
export { type DatabaseHandle, type DialectName, openDatabase, openPostgres, openSqlite } from './db/open.js';
export type { Role } from './db/schema.js';
export { DnsLookupError, type DnsResolver } from './domains/dns.js';
export { DOMAIN_ERROR_CODES, DomainError, type DomainErrorCode, type FieldIssue, isDomainError } from './errors.js';
export { type IdSource, randomIds, sequentialIds } from './ids.js';
export type { Mailer, OutgoingEmail } from './mail/mailer.js';
export { can, OPERATIONS, type Operation, PERMISSIONS } from './permissions.js';
export type { ApiKeyPrincipal, MemberPrincipal, OrgPrincipal, PersonPrincipal, Principal } from './principal.js';
// Schemas: the single source for adapters' input validation, MCP tool schemas and OpenAPI.
export * as schemas from './schema-index.js';
export { usageRefusal } from './usage/usage.js';
export { fieldIssues, parseInput } from './validation.js';
