import { toIso } from '../clock.js';
import type { CoreContext } from '../context.js';
import type { OrganizationsTable } from '../db/schema.js';
import type { Organization } from './schema.js';

export function logoUrl(ctx: CoreContext, row: Pick<OrganizationsTable, 'id' | 'logo_sha256'>): string | null {
  // The version in the URL changes with the image, so caches never show a stale logo.
  return row.logo_sha256 ? `${ctx.config.publicUrl}/logos/${row.id}/${row.logo_sha256.slice(0, 16)}` : null;
}

export function toOrganization(ctx: CoreContext, row: OrganizationsTable): Organization {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    logoUrl: logoUrl(ctx, row),
    timezone: row.timezone,
    defaultLocale: row.default_locale,
    domainJoin: row.domain_join === 1,
    createdAt: toIso(row.created_at),
  };
}

/** What anyone holding an invite link or invitation may see of the organization. */
export function toPublicOrganization(ctx: CoreContext, row: OrganizationsTable) {
  return { id: row.id, slug: row.slug, name: row.name, logoUrl: logoUrl(ctx, row), defaultLocale: row.default_locale };
}
