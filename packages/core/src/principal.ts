import type { ActorType, Role } from './db/schema.js';
import { DomainError } from './errors.js';

/** A request made with an organization's API key: acts with the key's role. */
export interface ApiKeyPrincipal {
  kind: 'api_key';
  orgId: string;
  role: Role;
  keyId: string;
  keyName: string;
  /** The person who minted the key (audit attribution), if known. */
  minterId: string | null;
}

/** A signed-in person acting in one of their organizations, with their current role. */
export interface MemberPrincipal {
  kind: 'member';
  orgId: string;
  role: Role;
  userId: string;
  email: string;
  sessionId: string;
}

/** A signed-in person outside any organization (sign-out, create org, join, accept). */
export interface PersonPrincipal {
  kind: 'person';
  userId: string;
  email: string;
  sessionId: string;
}

export type OrgPrincipal = ApiKeyPrincipal | MemberPrincipal;
export type Principal = OrgPrincipal | PersonPrincipal;

/** Who did something, as the audit log and `invitedBy` / `createdBy` show it. */
export interface Actor {
  type: ActorType;
  id: string | null;
  label: string;
  minterId?: string | null;
}

export const OPERATOR: Actor = { type: 'operator', id: null, label: 'operator' };
export const SYSTEM: Actor = { type: 'system', id: null, label: 'system' };

export function actorOf(principal: Principal): Actor {
  if (principal.kind === 'api_key') {
    return { type: 'api_key', id: principal.keyId, label: principal.keyName, minterId: principal.minterId };
  }
  return { type: 'user', id: principal.userId, label: principal.email };
}

/** The signed-in person behind a principal; API keys are not people. */
export function personOf(principal: Principal): PersonPrincipal {
  if (principal.kind === 'api_key') {
    throw new DomainError(
      'not_a_person',
      'This action is for a signed-in person, not an API key. Sign in and use the session token instead.',
    );
  }
  return { kind: 'person', userId: principal.userId, email: principal.email, sessionId: principal.sessionId };
}
