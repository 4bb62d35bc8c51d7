/** Every zod schema adapters need, in one namespace. */

export {
  meSchema,
  resendVerificationInput,
  sessionSchema,
  signInInput,
  signUpInput,
  signUpResultSchema,
  userSchema,
  verifyEmailInput,
} from './accounts/schema.js';
export {
  apiKeyIdInput,
  apiKeyPageSchema,
  apiKeySchema,
  createApiKeyInput,
  createdApiKeySchema,
  listApiKeysInput,
} from './api-keys/schema.js';
export { auditEventPageSchema, auditEventSchema, listAuditEventsInput } from './audit/audit.js';
export { portalSessionSchema } from './billing/billing.js';
export { domainInput, domainListSchema, domainSchema } from './domains/schema.js';
export {
  acceptInvitationResultSchema,
  createInvitationsInput,
  invitationIdInput,
  invitationPageSchema,
  invitationPreviewSchema,
  invitationSchema,
  invitationTokenInput,
  inviteResultSchema,
  listInvitationsInput,
} from './invitations/schema.js';
export { inviteLinkSchema, inviteTokenInput, joinPreviewSchema, joinResultSchema } from './invite-link/schema.js';
export {
  changeRoleInput,
  listMembersInput,
  memberPageSchema,
  memberRefInput,
  memberSchema,
  removeMemberResultSchema,
  transferOwnershipResultSchema,
} from './members/schema.js';
export {
  createOrganizationInput,
  LOGO_MAX_BYTES,
  LOGO_TYPES,
  organizationSchema,
  updateOrganizationInput,
} from './organizations/schema.js';
export {
  actorSchema,
  emailSchema,
  memberRefSchema,
  pageSchema,
  paginationSchema,
  roleSchema,
} from './schemas.js';
export {
  dailyUsageInput,
  dailyUsageSchema,
  METERS,
  recordUsageInput,
  recordUsageResultSchema,
  usageSummaryInput,
  usageSummarySchema,
} from './usage/schema.js';
