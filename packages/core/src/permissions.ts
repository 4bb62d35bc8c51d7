/**
 * The permission table: SPEC's role table, in one place. Every org-scoped use case starts
 * with `authorize(principal, operation)`. Operations no role may perform (inviting or
 * promoting to owner, removing the owner) are refused by the use cases with their own codes.
 */
import type { Role } from './db/schema.js';
import { DomainError } from './errors.js';
import type { OrgPrincipal, Principal } from './principal.js';

const ALL: readonly Role[] = ['member', 'admin', 'owner'];
const ADMINS: readonly Role[] = ['admin', 'owner'];

export const PERMISSIONS = {
  'organization.read': ALL,
  'members.read': ALL,
  'invite_link.manage': ADMINS,
  'invitations.manage': ADMINS,
  'members.change_role': ADMINS,
  'members.remove': ADMINS,
  'members.leave': ['member', 'admin'],
  'ownership.transfer': ['owner'],
  'organization.update': ADMINS,
  'domains.manage': ADMINS,
  'api_keys.manage': ADMINS,
  'usage.read': ADMINS,
  'usage.record': ALL,
  'billing.portal': ADMINS,
  'audit.read': ADMINS,
} as const satisfies Record<string, readonly Role[]>;

export type Operation = keyof typeof PERMISSIONS;
export const OPERATIONS = Object.keys(PERMISSIONS) as Operation[];

const DESCRIPTIONS: Record<Operation, string> = {
  'organization.read': 'read the organization',
  'members.read': 'list members',
  'invite_link.manage': 'see or change the invite link',
  'invitations.manage': 'invite people or manage invitations',
  'members.change_role': "change members' roles",
  'members.remove': 'remove members',
  'members.leave': 'leave the organization',
  'ownership.transfer': 'transfer ownership',
  'organization.update': 'change organization settings',
  'domains.manage': 'manage domains',
  'api_keys.manage': 'manage API keys',
  'usage.read': 'read usage and reports',
  'usage.record': 'record usage',
  'billing.portal': 'open the billing portal',
  'audit.read': 'read the audit log',
};

export const ROLE_RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };

export function can(role: Role, operation: Operation): boolean {
  return (PERMISSIONS[operation] as readonly Role[]).includes(role);
}

/** Narrows a principal to one acting in an organization and checks the table. */
export function authorize(principal: Principal, operation: Operation): OrgPrincipal {
  if (principal.kind === 'person') {
    throw new DomainError(
      'organization_required',
      'Choose an organization: send the Zelto-Organization header (id or slug) with a session token, or use an API key.',
    );
  }
  if (!can(principal.role, operation)) {
    const allowed = (PERMISSIONS[operation] as readonly Role[]).join(' or ');
    const who = principal.kind === 'api_key' ? `This API key has the ${principal.role} role` : `You are a ${principal.role}`;
    throw new DomainError('permission_denied', `${who}; only ${allowed}s may ${DESCRIPTIONS[operation]}. Ask an admin or the owner.`, {
      operation,
      role: principal.role,
    });
  }
  return principal;
}
