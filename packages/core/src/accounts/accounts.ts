import bcrypt from 'bcryptjs';
import { DAY, MINUTE, toIso } from '../clock.js';
import type { CoreContext, Db } from '../context.js';
import { randomBase62, randomDigits, randomToken, sameDigest, sha256 } from '../crypto.js';
import { isUniqueViolation } from '../db/dialect.js';
import type { UsersTable } from '../db/schema.js';
import { DomainError } from '../errors.js';
import { verificationEmail } from '../mail/templates.js';
import { type Principal, personOf } from '../principal.js';
import { consumeRateLimit, RATE_RULES } from '../rate-limit/rate-limit.js';
import { parseInput } from '../validation.js';
import {
  type ClientInfo,
  type MembershipSummary,
  resendVerificationInput,
  type Session,
  signInInput,
  signUpInput,
  type User,
  verifyEmailInput,
} from './schema.js';

export const SESSION_TTL = 30 * DAY;
export const VERIFICATION_TTL = 30 * MINUTE;
export const VERIFICATION_MAX_ATTEMPTS = 5;
export const SESSION_TOKEN_PREFIX = 'zls_';

export function toUser(row: UsersTable): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    emailVerified: row.email_verified_at !== null,
    locale: row.locale,
    createdAt: toIso(row.created_at),
  };
}

/** The organizations a person belongs to, oldest first. */
export async function membershipsOf(db: Db, userId: string): Promise<MembershipSummary[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('organizations', 'organizations.id', 'memberships.org_id')
    .select(['organizations.id as orgId', 'organizations.slug', 'organizations.name', 'memberships.role', 'memberships.joined_at'])
    .where('memberships.user_id', '=', userId)
    .orderBy('memberships.joined_at', 'asc')
    .execute();
  return rows.map((r) => ({
    organization: { id: r.orgId, slug: r.slug, name: r.name },
    role: r.role,
    joinedAt: toIso(r.joined_at),
  }));
}

/** Runs after a person proves their email (verification, or sign-in with a verified one). */
export type VerifiedEmailHook = (db: Db, user: UsersTable) => Promise<void>;

export function accountUseCases(ctx: CoreContext, hooks: { onVerifiedEmail: VerifiedEmailHook }) {
  // A fixed hash to compare against when the address is unknown, so a wrong email and a
  // wrong password take the same time.
  let dummyHash: string | undefined;
  const timingHash = () => {
    dummyHash ??= bcrypt.hashSync('zelto-timing-equaliser', ctx.config.bcryptCost);
    return dummyHash;
  };

  async function issueSession(db: Db, userId: string): Promise<{ token: string; expiresAt: number }> {
    const token = `${SESSION_TOKEN_PREFIX}${randomBase62(ctx.ids, 43)}`;
    const now = ctx.clock.now();
    const expiresAt = now + SESSION_TTL;
    await db
      .insertInto('sessions')
      .values({
        id: ctx.ids.id('ses'),
        user_id: userId,
        token_hash: sha256(token),
        created_at: now,
        expires_at: expiresAt,
        revoked_at: null,
      })
      .execute();
    return { token, expiresAt };
  }

  async function sessionFor(userId: string, issued: { token: string; expiresAt: number }): Promise<Session> {
    const user = await ctx.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
    return {
      token: issued.token,
      expiresAt: toIso(issued.expiresAt),
      user: toUser(user),
      memberships: await membershipsOf(ctx.db, userId),
    };
  }

  /** Creates a verification code and link, supersedes older ones, and emails them. */
  async function sendVerification(
    user: Pick<UsersTable, 'id' | 'email' | 'name'>,
    pending: { passwordHash: string | null; name: string | null },
  ): Promise<void> {
    const now = ctx.clock.now();
    const id = ctx.ids.id('vfy');
    const code = randomDigits(ctx.ids, 6);
    const token = randomToken(ctx.ids, 32);
    await ctx.db.transaction().execute(async (trx) => {
      // Only the newest code works.
      await trx
        .updateTable('email_verifications')
        .set({ expires_at: now })
        .where('user_id', '=', user.id)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
      await trx
        .insertInto('email_verifications')
        .values({
          id,
          user_id: user.id,
          code_hash: sha256(`${id}:${code}`),
          token_hash: sha256(token),
          created_at: now,
          expires_at: now + VERIFICATION_TTL,
          attempts: 0,
          consumed_at: null,
          pending_password_hash: pending.passwordHash,
          pending_name: pending.name,
        })
        .execute();
    });
    const link = `${ctx.config.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
    await sendOrExplain(ctx, verificationEmail({ to: user.email, name: user.name, code, link, minutes: VERIFICATION_TTL / MINUTE }));
  }

  return {
    /**
     * Creates an account and emails a verification code. Signing up again with an address
     * that is not yet verified sends a new code; the new password takes effect only once the
     * address is verified, so nobody can lock its real owner out by signing up first.
     */
    async signUp(input: unknown, client: ClientInfo = {}) {
      const data = parseInput(signUpInput, input);
      await consumeRateLimit(ctx, [
        { rule: RATE_RULES.signUpPerClient, subject: client.ip },
        { rule: RATE_RULES.signUpPerEmail, subject: data.email },
      ]);
      const passwordHash = await bcrypt.hash(data.password, ctx.config.bcryptCost);
      const now = ctx.clock.now();
      const existing = await ctx.db.selectFrom('users').selectAll().where('email', '=', data.email).executeTakeFirst();
      if (existing && existing.email_verified_at !== null && existing.password_hash !== null) {
        throw new DomainError('email_already_registered', `${data.email} already has an account. Sign in instead.`);
      }
      let user: Pick<UsersTable, 'id' | 'email' | 'name'>;
      let pending = { passwordHash: null as string | null, name: null as string | null };
      if (existing) {
        user = existing;
        pending = { passwordHash, name: data.name };
      } else {
        const row: UsersTable = {
          id: ctx.ids.id('usr'),
          email: data.email,
          name: data.name,
          password_hash: passwordHash,
          email_verified_at: null,
          locale: data.locale ?? 'en',
          created_at: now,
        };
        try {
          await ctx.db.insertInto('users').values(row).execute();
          user = row;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          // Someone signed up with this address a moment ago: treat it as a claim.
          user = await ctx.db.selectFrom('users').selectAll().where('email', '=', data.email).executeTakeFirstOrThrow();
          pending = { passwordHash, name: data.name };
        }
      }
      await sendVerification(user, pending);
      return {
        email: data.email,
        verificationRequired: true as const,
        message: `We sent a 6-digit code to ${data.email}. Verify it to finish signing up.`,
      };
    },

    /** Sends a fresh code to an unverified address. Answers the same whether or not it exists. */
    async resendVerification(input: unknown, client: ClientInfo = {}) {
      const { email } = parseInput(resendVerificationInput, input);
      await consumeRateLimit(ctx, [
        { rule: RATE_RULES.verifyPerEmail, subject: email },
        { rule: RATE_RULES.verifyPerClient, subject: client.ip },
      ]);
      const user = await ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      if (user && user.email_verified_at === null) {
        const last = await ctx.db
          .selectFrom('email_verifications')
          .select(['pending_password_hash', 'pending_name'])
          .where('user_id', '=', user.id)
          .orderBy('created_at', 'desc')
          .executeTakeFirst();
        await sendVerification(user, {
          passwordHash: last?.pending_password_hash ?? null,
          name: last?.pending_name ?? null,
        });
      }
      return { email, message: `If ${email} has an account waiting for verification, a new code is on its way.` };
    },

    /**
     * Verifies an address with the emailed code (and address) or the link's token, then signs
     * the person in. A verified address joins its organization's domain, if it has one.
     */
    async verifyEmail(input: unknown, client: ClientInfo = {}): Promise<Session> {
      const data = parseInput(verifyEmailInput, input);
      const now = ctx.clock.now();
      const invalid = () =>
        new DomainError(
          'verification_code_invalid',
          'That code is wrong or no longer valid. Check the newest email from Zelto, or ask for a new code.',
        );

      let verificationId: string;
      let userId: string;
      if (data.token !== undefined) {
        await consumeRateLimit(ctx, [{ rule: RATE_RULES.verifyPerClient, subject: client.ip }]);
        const row = await ctx.db
          .selectFrom('email_verifications')
          .selectAll()
          .where('token_hash', '=', sha256(data.token))
          .executeTakeFirst();
        if (!row) throw new DomainError('verification_code_invalid', 'This verification link is not valid. Ask for a new code.');
        if (row.consumed_at !== null) {
          throw new DomainError('already_verified', 'This link was already used. Sign in with your email and password.');
        }
        if (row.expires_at <= now) {
          throw new DomainError('verification_expired', 'This verification link has expired. Ask for a new code.');
        }
        verificationId = row.id;
        userId = row.user_id;
      } else {
        await consumeRateLimit(ctx, [
          { rule: RATE_RULES.verifyPerEmail, subject: data.email },
          { rule: RATE_RULES.verifyPerClient, subject: client.ip },
        ]);
        const code = data.code as string;
        const row = await ctx.db
          .selectFrom('email_verifications')
          .innerJoin('users', 'users.id', 'email_verifications.user_id')
          .selectAll('email_verifications')
          .where('users.email', '=', data.email as string)
          .where('email_verifications.consumed_at', 'is', null)
          .where('email_verifications.expires_at', '>', now)
          .orderBy('email_verifications.created_at', 'desc')
          .executeTakeFirst();
        if (!row || row.attempts >= VERIFICATION_MAX_ATTEMPTS) throw invalid();
        if (!sameDigest(row.code_hash, sha256(`${row.id}:${code}`))) {
          await ctx.db
            .updateTable('email_verifications')
            .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
            .where('id', '=', row.id)
            .execute();
          throw invalid();
        }
        verificationId = row.id;
        userId = row.user_id;
      }

      const issued = await ctx.db.transaction().execute(async (trx) => {
        const consumed = await trx
          .updateTable('email_verifications')
          .set({ consumed_at: now })
          .where('id', '=', verificationId)
          .where('consumed_at', 'is', null)
          .returning(['pending_password_hash', 'pending_name'])
          .executeTakeFirst();
        if (!consumed) throw new DomainError('already_verified', 'This code was already used. Sign in with your email and password.');
        const claim = consumed.pending_password_hash !== null;
        await trx
          .updateTable('users')
          .set({
            email_verified_at: now,
            ...(claim ? { password_hash: consumed.pending_password_hash } : {}),
            ...(consumed.pending_name !== null ? { name: consumed.pending_name } : {}),
          })
          .where('id', '=', userId)
          .execute();
        if (claim) {
          // The address changed hands: whoever signed in with the old password is out.
          await trx
            .updateTable('sessions')
            .set({ revoked_at: now })
            .where('user_id', '=', userId)
            .where('revoked_at', 'is', null)
            .execute();
        }
        const user = await trx.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
        await hooks.onVerifiedEmail(trx, user);
        return issueSession(trx, userId);
      });
      return sessionFor(userId, issued);
    },

    /** Signs in with email and password. A wrong email and a wrong password look the same. */
    async signIn(input: unknown, client: ClientInfo = {}): Promise<Session> {
      const data = parseInput(signInInput, input);
      await consumeRateLimit(ctx, [
        { rule: RATE_RULES.signInPerEmail, subject: data.email },
        { rule: RATE_RULES.signInPerClient, subject: client.ip },
      ]);
      const user = await ctx.db.selectFrom('users').selectAll().where('email', '=', data.email).executeTakeFirst();
      const ok = await bcrypt.compare(data.password, user?.password_hash ?? timingHash());
      if (!user || user.password_hash === null || !ok) {
        throw new DomainError('invalid_credentials', 'The email or password is wrong. Check both and try again.');
      }
      const issued = await ctx.db.transaction().execute(async (trx) => {
        if (user.email_verified_at !== null) await hooks.onVerifiedEmail(trx, user);
        return issueSession(trx, user.id);
      });
      return sessionFor(user.id, issued);
    },

    /** Ends the session the request was made with. */
    async signOut(principal: Principal) {
      const person = personOf(principal);
      await ctx.db
        .updateTable('sessions')
        .set({ revoked_at: ctx.clock.now() })
        .where('id', '=', person.sessionId)
        .where('revoked_at', 'is', null)
        .execute();
      return { signedOut: true as const };
    },

    /** The signed-in person and their organizations. */
    async me(principal: Principal) {
      const person = personOf(principal);
      const user = await ctx.db.selectFrom('users').selectAll().where('id', '=', person.userId).executeTakeFirstOrThrow();
      return { user: toUser(user), memberships: await membershipsOf(ctx.db, person.userId) };
    },
  };
}

/** Sends an email; a delivery failure becomes a DomainError that says what to do. */
export async function sendOrExplain(ctx: CoreContext, email: Parameters<CoreContext['mailer']['send']>[0]): Promise<void> {
  try {
    await ctx.mailer.send(email);
  } catch (error) {
    throw new DomainError(
      'email_delivery_failed',
      `The email to ${email.to} could not be sent (${(error as Error).message}). Try again in a moment.`,
    );
  }
}
