/**
 * What only the platform operator does, through the CLI on the server: create organizations
 * with their first owner key, mint keys for an organization. No adapter exposes these to
 * organization keys.
 */
import { z } from 'zod';
import { mintApiKey } from '../api-keys/api-keys.js';
import { createApiKeyInput } from '../api-keys/schema.js';
import type { CoreContext } from '../context.js';
import { DomainError } from '../errors.js';
import { toOrganization } from '../organizations/present.js';
import type { Organization } from '../organizations/schema.js';
import { OPERATOR } from '../principal.js';
import { parseInput } from '../validation.js';

export const slugInput = z.string().trim().toLowerCase().min(1, { error: 'Name the organization by its slug (--org).' }).max(64);

export async function organizationBySlug(ctx: CoreContext, slug: unknown) {
  const wanted = parseInput(slugInput, slug);
  const row = await ctx.db.selectFrom('organizations').selectAll().where('slug', '=', wanted).executeTakeFirst();
  if (!row)
    throw new DomainError('organization_not_found', `No organization has the slug "${wanted}". List them with the slug shown at creation.`);
  return row;
}

export function operatorUseCases(ctx: CoreContext) {
  return {
    /** An organization by slug. */
    async organization(slug: unknown): Promise<Organization> {
      return toOrganization(ctx, await organizationBySlug(ctx, slug));
    },

    /** How many organizations exist (the first-run bootstrap checks for none). */
    async countOrganizations(): Promise<number> {
      const row = await ctx.db
        .selectFrom('organizations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Mints a key for an organization by slug (`zelto keys create`). */
    async createApiKey(slug: unknown, input: unknown) {
      const org = await organizationBySlug(ctx, slug);
      const data = parseInput(createApiKeyInput, input);
      return ctx.db
        .transaction()
        .execute((trx) => mintApiKey(ctx, trx, { orgId: org.id, name: data.name, role: data.role, actor: OPERATOR }));
    },
  };
}
