/**
 * Numbered migrations, served in code. A migration that has landed is never edited: change
 * the schema with a new one. Types are kept portable (text, bigint, integer); the one
 * dialect difference (binary columns) is passed in.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { DatabaseHandle, DialectName } from './open.js';

// Migrations run against an untyped Kysely: the schema they create is what Database describes.
// biome-ignore lint/suspicious/noExplicitAny: kysely's Migration interface is untyped by design.
type AnyDb = Kysely<any>;

function migrations(dialect: DialectName): Record<string, Migration> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  return {
    '0001_foundation': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('email_verified_at', 'bigint')
          .addColumn('locale', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('revoked_at', 'bigint')
          .execute();
        await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

        await db.schema
          .createTable('email_verifications')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('code_hash', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('consumed_at', 'bigint')
          .addColumn('pending_password_hash', 'text')
          .addColumn('pending_name', 'text')
          .execute();
        await db.schema.createIndex('email_verifications_user').on('email_verifications').column('user_id').execute();

        await db.schema
          .createTable('organizations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('slug', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('timezone', 'text', (c) => c.notNull())
          .addColumn('default_locale', 'text', (c) => c.notNull())
          .addColumn('domain_join', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('logo_sha256', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('organization_logos')
          .addColumn('org_id', 'text', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
          .addColumn('content_type', 'text', (c) => c.notNull())
          .addColumn('bytes', binary, (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('memberships')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('joined_via', 'text', (c) => c.notNull())
          .addColumn('joined_at', 'bigint', (c) => c.notNull())
          .addCheckConstraint('memberships_role', sql`role in ('member', 'admin', 'owner')`)
          .execute();
        // One membership per person and organization.
        await db.schema.createIndex('memberships_org_user').on('memberships').columns(['org_id', 'user_id']).unique().execute();
        // Exactly one owner: never two (this index), never none (guarded updates in members/).
        await db.schema
          .createIndex('memberships_one_owner')
          .on('memberships')
          .column('org_id')
          .unique()
          .where(sql.ref('role'), '=', 'owner')
          .execute();
        await db.schema.createIndex('memberships_user').on('memberships').column('user_id').execute();
        await db.schema.createIndex('memberships_org_joined').on('memberships').columns(['org_id', 'joined_at', 'id']).execute();

        await db.schema
          .createTable('membership_removals')
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('removed_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('membership_removals_pk', ['org_id', 'user_id'])
          .execute();

        await db.schema
          .createTable('invitations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('invited_by_type', 'text', (c) => c.notNull())
          .addColumn('invited_by_id', 'text')
          .addColumn('invited_by_label', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('sent_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('accepted_at', 'bigint')
          .addColumn('accepted_by_user_id', 'text')
          .addColumn('revoked_at', 'bigint')
          .addCheckConstraint('invitations_role', sql`role in ('member', 'admin')`)
          .execute();
        // One open invitation per address and organization.
        await db.schema
          .createIndex('invitations_one_pending')
          .on('invitations')
          .columns(['org_id', 'email'])
          .unique()
          .where(sql.ref('status'), '=', 'pending')
          .execute();
        await db.schema.createIndex('invitations_org_created').on('invitations').columns(['org_id', 'created_at', 'id']).execute();

        await db.schema
          .createTable('invite_links')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('token', 'text', (c) => c.notNull().unique())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('ended_at', 'bigint')
          .execute();
        // At most one live link per organization.
        await db.schema
          .createIndex('invite_links_one_active')
          .on('invite_links')
          .column('org_id')
          .unique()
          .where(sql.ref('status'), '=', 'active')
          .execute();
        await db.schema.createIndex('invite_links_org_created').on('invite_links').columns(['org_id', 'created_at']).execute();

        await db.schema
          .createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('stub', 'text', (c) => c.notNull())
          .addColumn('created_by_user_id', 'text')
          .addColumn('created_by_key_id', 'text')
          .addColumn('created_by_label', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_used_at', 'bigint')
          .addCheckConstraint('api_keys_role', sql`role in ('member', 'admin', 'owner')`)
          .execute();
        await db.schema.createIndex('api_keys_org_created').on('api_keys').columns(['org_id', 'created_at', 'id']).execute();

        await db.schema
          .createTable('audit_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('actor_type', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('actor_label', 'text', (c) => c.notNull())
          .addColumn('actor_minter_id', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target_type', 'text', (c) => c.notNull())
          .addColumn('target_id', 'text')
          .addColumn('target_label', 'text')
          .addColumn('data', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('audit_events_org_created').on('audit_events').columns(['org_id', 'created_at', 'id']).execute();

        await db.schema
          .createTable('rate_limits')
          .addColumn('bucket', 'text', (c) => c.primaryKey())
          .addColumn('window_start', 'bigint', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .execute();
      },
    },
    '0002_usage_and_billing': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('billing_accounts')
          .addColumn('org_id', 'text', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
          .addColumn('payment_method', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('payment_method_label', 'text')
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('billing_portal_sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('used_at', 'bigint')
          .execute();

        await db.schema
          .createTable('quotas')
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('meter', 'text', (c) => c.notNull())
          .addColumn('monthly', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('quotas_pk', ['org_id', 'meter'])
          .execute();

        await db.schema
          .createTable('grants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('meter', 'text', (c) => c.notNull())
          .addColumn('amount', 'bigint', (c) => c.notNull())
          .addColumn('remaining', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addCheckConstraint('grants_remaining', sql`remaining >= 0 and remaining <= amount`)
          .execute();
        await db.schema.createIndex('grants_org_meter').on('grants').columns(['org_id', 'meter']).execute();

        await db.schema
          .createTable('usage_periods')
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('meter', 'text', (c) => c.notNull())
          .addColumn('period', 'text', (c) => c.notNull())
          .addColumn('quota', 'bigint', (c) => c.notNull())
          .addColumn('used', 'bigint', (c) => c.notNull())
          .addColumn('from_quota', 'bigint', (c) => c.notNull())
          .addColumn('from_grants', 'bigint', (c) => c.notNull())
          .addColumn('overage', 'bigint', (c) => c.notNull())
          .addColumn('notified_80', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('notified_100', 'integer', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('usage_periods_pk', ['org_id', 'meter', 'period'])
          // The hard limit, as the database sees it: quota draw never exceeds the quota.
          .addCheckConstraint('usage_periods_quota', sql`from_quota <= quota`)
          .execute();

        await db.schema
          .createTable('usage_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('meter', 'text', (c) => c.notNull())
          .addColumn('quantity', 'bigint', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('occurred_at', 'bigint', (c) => c.notNull())
          .addColumn('recorded_at', 'bigint', (c) => c.notNull())
          .addColumn('idempotency_key', 'text', (c) => c.notNull())
          .addColumn('payload_hash', 'text', (c) => c.notNull())
          .addColumn('from_quota', 'bigint', (c) => c.notNull())
          .addColumn('from_grants', 'bigint', (c) => c.notNull())
          .addColumn('overage', 'bigint', (c) => c.notNull())
          .addColumn('period', 'text', (c) => c.notNull())
          .execute();
        // The same idempotency key counts once per organization.
        await db.schema
          .createIndex('usage_events_idempotency')
          .on('usage_events')
          .columns(['org_id', 'idempotency_key'])
          .unique()
          .execute();

        await db.schema
          .createTable('usage_rollups')
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('meter', 'text', (c) => c.notNull())
          .addColumn('bucket_start', 'bigint', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('quantity', 'bigint', (c) => c.notNull())
          .addColumn('events', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('usage_rollups_pk', ['org_id', 'bucket_start', 'meter', 'source'])
          .execute();
      },
    },
    '0003_domains': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('domains')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('domain', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('token', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('verified_at', 'bigint')
          .addColumn('last_checked_at', 'bigint')
          .execute();
        await db.schema.createIndex('domains_org_domain').on('domains').columns(['org_id', 'domain']).unique().execute();
        // A domain is verified by one organization at a time.
        await db.schema
          .createIndex('domains_one_verified')
          .on('domains')
          .column('domain')
          .unique()
          .where(sql.ref('status'), '=', 'verified')
          .execute();
      },
    },
  };
}

class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

/** Brings the schema up to date; safe to run from several processes at once. */
export async function migrateToLatest(handle: DatabaseHandle): Promise<void> {
  // kysely looks for its own tables in every schema; pin it to ours so another schema's
  // migration tables (another app, another test) are never mistaken for this database's.
  const schema =
    handle.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: handle.db,
    provider: new InCodeMigrationProvider(handle.dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
}
