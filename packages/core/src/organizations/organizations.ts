import { z } from 'zod';
import { mintApiKey } from '../api-keys/api-keys.js';
import type { CreatedApiKey } from '../api-keys/schema.js';
import { recordAudit } from '../audit/audit.js';
import type { CoreContext, Db } from '../context.js';
import { randomBase62, sha256 } from '../crypto.js';
import { withConflictRetry } from '../db/retry.js';
import type { OrganizationsTable } from '../db/schema.js';
import { DomainError } from '../errors.js';
import { mintInviteLink } from '../invite-link/invite-link.js';
import { addMember } from '../members/members.js';
import type { Member } from '../members/schema.js';
import { authorize } from '../permissions.js';
import { type Actor, actorOf, OPERATOR, type Principal, personOf } from '../principal.js';
import { emailSchema, nameSchema } from '../schemas.js';
import { parseInput } from '../validation.js';
import { sniffLogo } from './logo.js';
import { toOrganization } from './present.js';
import { createOrganizationInput, type Organization, updateOrganizationInput } from './schema.js';
import { slugify } from './settings.js';

export const createWithOwnerInput = z.object({ name: nameSchema, ownerEmail: emailSchema, ownerName: nameSchema.optional() }).strict();

/**
 * The first slug not taken among `base`, `base-2`, `base-3`, ... After a few lost races with
 * concurrent creations of the same name, a random suffix ends the contention.
 */
async function freeSlug(ctx: CoreContext, db: Db, name: string, attempt: number): Promise<string> {
  const base = slugify(name);
  if (attempt > 3) return `${base}-${randomBase62(ctx.ids, 6).toLowerCase()}`;
  const taken = new Set(
    (
      await db
        .selectFrom('organizations')
        .select('slug')
        .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
        .execute()
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export async function requireOrganization(db: Db, orgId: string): Promise<OrganizationsTable> {
  const row = await db.selectFrom('organizations').selectAll().where('id', '=', orgId).executeTakeFirst();
  if (!row) throw new DomainError('organization_not_found', 'This organization no longer exists.');
  return row;
}

export function organizationUseCases(ctx: CoreContext) {
  /**
   * Creates the organization, its owner membership and its invite link in one transaction.
   * A slug taken by a concurrent creation makes the whole transaction run again.
   */
  async function createOrganization(
    input: { name: string; timezone?: string | undefined; defaultLocale?: string | undefined },
    owner: { userId: string },
    actor: Actor,
    extra?: (trx: Db, org: OrganizationsTable) => Promise<void>,
  ) {
    return withConflictRetry((attempt) =>
      ctx.db.transaction().execute(async (trx) => {
        const now = ctx.clock.now();
        const row: OrganizationsTable = {
          id: ctx.ids.id('org'),
          slug: await freeSlug(ctx, trx, input.name, attempt),
          name: input.name,
          timezone: input.timezone ?? 'UTC',
          default_locale: input.defaultLocale ?? 'en',
          domain_join: 0,
          logo_sha256: null,
          created_at: now,
          updated_at: now,
        };
        await trx.insertInto('organizations').values(row).execute();
        await recordAudit(ctx, trx, {
          orgId: row.id,
          actor,
          action: 'organization.created',
          target: { type: 'organization', id: row.id, label: row.name },
          data: { slug: row.slug },
        });
        const { member } = await addMember(ctx, trx, { orgId: row.id, userId: owner.userId, role: 'owner', via: 'creator', actor });
        await mintInviteLink(ctx, trx, row.id);
        await extra?.(trx, row);
        return { organization: toOrganization(ctx, row), owner: member };
      }),
    );
  }

  return {
    /** Creates an organization; the signed-in creator becomes its one owner. */
    async create(principal: Principal, input: unknown): Promise<Organization> {
      const person = personOf(principal);
      const data = parseInput(createOrganizationInput, input);
      const actor: Actor = { type: 'user', id: person.userId, label: person.email };
      return (await createOrganization(data, person, actor)).organization;
    },

    /**
     * Operator: creates an organization and its owner's account (unclaimed until the person
     * signs up with that address) and mints the first owner API key, shown once.
     */
    async createWithOwner(input: unknown): Promise<{ organization: Organization; owner: Member; apiKey: CreatedApiKey }> {
      const data = parseInput(createWithOwnerInput, input);
      const now = ctx.clock.now();
      let userId = (await ctx.db.selectFrom('users').select('id').where('email', '=', data.ownerEmail).executeTakeFirst())?.id;
      if (!userId) {
        userId = ctx.ids.id('usr');
        await ctx.db
          .insertInto('users')
          .values({
            id: userId,
            email: data.ownerEmail,
            name: data.ownerName ?? data.ownerEmail.split('@')[0] ?? data.ownerEmail,
            password_hash: null,
            email_verified_at: null,
            locale: 'en',
            created_at: now,
          })
          .onConflict((oc) => oc.column('email').doNothing())
          .execute();
        userId = (await ctx.db.selectFrom('users').select('id').where('email', '=', data.ownerEmail).executeTakeFirstOrThrow()).id;
      }
      let apiKey: CreatedApiKey | undefined;
      const created = await createOrganization({ name: data.name }, { userId }, OPERATOR, async (trx, org) => {
        apiKey = await mintApiKey(ctx, trx, { orgId: org.id, name: 'Owner key', role: 'owner', actor: OPERATOR });
      });
      if (!apiKey) throw new Error('owner key was not minted');
      return { ...created, apiKey };
    },

    /** The organization's settings. Every member. */
    async get(principal: Principal): Promise<Organization> {
      const org = authorize(principal, 'organization.read');
      return toOrganization(ctx, await requireOrganization(ctx.db, org.orgId));
    },

    /** Changes name, timezone or default locale. The slug is read-only. */
    async update(principal: Principal, input: unknown): Promise<Organization> {
      const org = authorize(principal, 'organization.update');
      if (input !== null && typeof input === 'object' && 'slug' in input) {
        throw new DomainError('slug_read_only', 'The slug is read-only: it was derived from the name at creation and stays the same.', {
          issues: [{ path: 'slug', message: 'The slug cannot be changed.' }],
        });
      }
      const patch = parseInput(updateOrganizationInput, input);
      return ctx.db.transaction().execute(async (trx) => {
        const before = await requireOrganization(trx, org.orgId);
        const changes: Partial<OrganizationsTable> = {};
        const diff: Record<string, { before: unknown; after: unknown }> = {};
        if (patch.name !== undefined && patch.name !== before.name) {
          changes.name = patch.name;
          diff.name = { before: before.name, after: patch.name };
        }
        if (patch.timezone !== undefined && patch.timezone !== before.timezone) {
          changes.timezone = patch.timezone;
          diff.timezone = { before: before.timezone, after: patch.timezone };
        }
        if (patch.defaultLocale !== undefined && patch.defaultLocale !== before.default_locale) {
          changes.default_locale = patch.defaultLocale;
          diff.defaultLocale = { before: before.default_locale, after: patch.defaultLocale };
        }
        if (patch.domainJoin !== undefined && (patch.domainJoin ? 1 : 0) !== before.domain_join) {
          if (patch.domainJoin) {
            const verified = await trx
              .selectFrom('domains')
              .select('id')
              .where('org_id', '=', org.orgId)
              .where('status', '=', 'verified')
              .executeTakeFirst();
            if (!verified) {
              throw new DomainError(
                'domain_join_requires_verified_domain',
                'Verify a domain first: domain join lets in people whose verified email is on a verified domain.',
              );
            }
          }
          changes.domain_join = patch.domainJoin ? 1 : 0;
          diff.domainJoin = { before: before.domain_join === 1, after: patch.domainJoin };
        }
        if (Object.keys(changes).length === 0) return toOrganization(ctx, before);
        const after = { ...before, ...changes, updated_at: ctx.clock.now() };
        await trx
          .updateTable('organizations')
          .set({ ...changes, updated_at: after.updated_at })
          .where('id', '=', org.orgId)
          .execute();
        await recordAudit(ctx, trx, {
          orgId: org.orgId,
          actor: actorOf(org),
          action: 'organization.updated',
          target: { type: 'organization', id: org.orgId, label: after.name },
          data: diff,
        });
        return toOrganization(ctx, after);
      });
    },

    /** Replaces the logo with an uploaded PNG, JPEG or WebP image (checked by content, at most 1 MiB). */
    async setLogo(principal: Principal, bytes: Uint8Array): Promise<Organization> {
      const org = authorize(principal, 'organization.update');
      const contentType = sniffLogo(bytes);
      const digest = sha256(bytes);
      const now = ctx.clock.now();
      return ctx.db.transaction().execute(async (trx) => {
        const before = await requireOrganization(trx, org.orgId);
        await trx
          .insertInto('organization_logos')
          .values({ org_id: org.orgId, content_type: contentType, bytes: Buffer.from(bytes), sha256: digest, updated_at: now })
          .onConflict((oc) =>
            oc.column('org_id').doUpdateSet({ content_type: contentType, bytes: Buffer.from(bytes), sha256: digest, updated_at: now }),
          )
          .execute();
        await trx.updateTable('organizations').set({ logo_sha256: digest, updated_at: now }).where('id', '=', org.orgId).execute();
        await recordAudit(ctx, trx, {
          orgId: org.orgId,
          actor: actorOf(org),
          action: 'organization.logo_updated',
          target: { type: 'organization', id: org.orgId, label: before.name },
          data: { contentType, bytes: bytes.byteLength, before: before.logo_sha256, after: digest },
        });
        return toOrganization(ctx, { ...before, logo_sha256: digest, updated_at: now });
      });
    },

    /** Removes the logo. */
    async removeLogo(principal: Principal): Promise<Organization> {
      const org = authorize(principal, 'organization.update');
      return ctx.db.transaction().execute(async (trx) => {
        const before = await requireOrganization(trx, org.orgId);
        if (before.logo_sha256 === null) return toOrganization(ctx, before);
        await trx.deleteFrom('organization_logos').where('org_id', '=', org.orgId).execute();
        await trx
          .updateTable('organizations')
          .set({ logo_sha256: null, updated_at: ctx.clock.now() })
          .where('id', '=', org.orgId)
          .execute();
        await recordAudit(ctx, trx, {
          orgId: org.orgId,
          actor: actorOf(org),
          action: 'organization.logo_removed',
          target: { type: 'organization', id: org.orgId, label: before.name },
          data: { before: before.logo_sha256 },
        });
        return toOrganization(ctx, { ...before, logo_sha256: null });
      });
    },

    /** The logo image, for the public logo URL. */
    async logo(orgId: string): Promise<{ contentType: string; bytes: Uint8Array; sha256: string } | undefined> {
      const row = await ctx.db.selectFrom('organization_logos').selectAll().where('org_id', '=', orgId).executeTakeFirst();
      return row ? { contentType: row.content_type, bytes: row.bytes, sha256: row.sha256 } : undefined;
    },
  };
}
