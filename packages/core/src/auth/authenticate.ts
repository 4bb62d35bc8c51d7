import { SESSION_TOKEN_PREFIX } from '../accounts/accounts.js';
import { parseApiKey } from '../api-keys/key-format.js';
import type { LastUsedTracker } from '../api-keys/last-used.js';
import type { CoreContext } from '../context.js';
import { sameDigest, sha256 } from '../crypto.js';
import { DomainError, type DomainErrorCode } from '../errors.js';
import type { Principal } from '../principal.js';

/** Why a bearer string was not accepted. Expected, so a value rather than a throw. */
export interface Refusal {
  ok: false;
  code: Extract<DomainErrorCode, 'unauthenticated' | 'session_expired' | 'not_a_member' | 'permission_denied'>;
  message: string;
}

export type Authentication = { ok: true; principal: Principal } | Refusal;

export interface AuthenticateOptions {
  /** The organization a session token acts in (id or slug); the Zelto-Organization header. */
  organization?: string | undefined;
}

function refuse(code: Refusal['code'], message: string): Refusal {
  return { ok: false, code, message };
}

/** A refusal as the DomainError adapters throw and map. */
export function refusalError(refusal: Refusal): DomainError {
  return new DomainError(refusal.code, refusal.message);
}

/**
 * The one authentication function of every adapter: turns a bearer string (an org API key or
 * a session token) into a principal, or a refusal. Reads the database on every call, so a
 * deleted key or a removed member is refused on the very next request, on every instance.
 */
export function authenticator(ctx: CoreContext, lastUsed: LastUsedTracker) {
  return async function authenticate(bearer: string | undefined, options: AuthenticateOptions = {}): Promise<Authentication> {
    const token = bearer?.trim();
    if (!token) {
      return refuse('unauthenticated', 'Authentication required: send Authorization: Bearer <API key or session token>.');
    }
    const now = ctx.clock.now();

    if (token.startsWith('zlt_')) {
      const parsed = parseApiKey(token);
      if (!parsed) return refuse('unauthenticated', 'This is not a valid Zelto API key. Check that it was copied whole.');
      const key = await ctx.db
        .selectFrom('api_keys')
        .innerJoin('organizations', 'organizations.id', 'api_keys.org_id')
        .select([
          'api_keys.id',
          'api_keys.org_id',
          'api_keys.name',
          'api_keys.role',
          'api_keys.secret_hash',
          'api_keys.created_by_user_id',
          'api_keys.last_used_at',
          'organizations.slug',
        ])
        .where('api_keys.id', '=', parsed.id)
        .executeTakeFirst();
      if (!key || !sameDigest(key.secret_hash, sha256(token))) {
        return refuse('unauthenticated', 'This API key is not valid: it was deleted or never existed. Mint a new key.');
      }
      const wanted = options.organization?.trim();
      if (wanted && wanted !== key.org_id && wanted !== key.slug) {
        return refuse(
          'permission_denied',
          `This API key belongs to ${key.slug}; it cannot act in ${wanted}. Drop the Zelto-Organization header.`,
        );
      }
      lastUsed.touch(key.id, key.last_used_at, now);
      return {
        ok: true,
        principal: {
          kind: 'api_key',
          orgId: key.org_id,
          role: key.role,
          keyId: key.id,
          keyName: key.name,
          minterId: key.created_by_user_id,
        },
      };
    }

    if (token.startsWith(SESSION_TOKEN_PREFIX)) {
      const session = await ctx.db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['sessions.id', 'sessions.token_hash', 'sessions.expires_at', 'sessions.revoked_at', 'users.id as userId', 'users.email'])
        .where('sessions.token_hash', '=', sha256(token))
        .executeTakeFirst();
      if (!session || !sameDigest(session.token_hash, sha256(token))) {
        return refuse('unauthenticated', 'This session token is not valid. Sign in again.');
      }
      if (session.revoked_at !== null || session.expires_at <= now) {
        return refuse('session_expired', 'This session has ended (signed out or expired). Sign in again.');
      }
      const wanted = options.organization?.trim();
      if (!wanted) {
        return { ok: true, principal: { kind: 'person', userId: session.userId, email: session.email, sessionId: session.id } };
      }
      const membership = await ctx.db
        .selectFrom('memberships')
        .innerJoin('organizations', 'organizations.id', 'memberships.org_id')
        .select(['memberships.org_id', 'memberships.role'])
        .where('memberships.user_id', '=', session.userId)
        .where((eb) => eb.or([eb('organizations.id', '=', wanted), eb('organizations.slug', '=', wanted.toLowerCase())]))
        .executeTakeFirst();
      if (!membership) {
        return refuse(
          'not_a_member',
          `You are not a member of ${wanted}. Check the Zelto-Organization header, or ask an admin for an invitation.`,
        );
      }
      return {
        ok: true,
        principal: {
          kind: 'member',
          orgId: membership.org_id,
          role: membership.role,
          userId: session.userId,
          email: session.email,
          sessionId: session.id,
        },
      };
    }

    return refuse('unauthenticated', 'Unrecognised credential: use an API key (zlt_...) or a session token (zls_...).');
  };
}
