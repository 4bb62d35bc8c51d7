import { recordAudit } from '../audit/audit.js';
import { toIsoOrNull } from '../clock.js';
import type { CoreContext, Db } from '../context.js';
import { randomBase62 } from '../crypto.js';
import { isUniqueViolation } from '../db/dialect.js';
import type { DomainsTable, UsersTable } from '../db/schema.js';
import { DomainError } from '../errors.js';
import { addMember } from '../members/members.js';
import { authorize } from '../permissions.js';
import { actorOf, type OrgPrincipal, type Principal } from '../principal.js';
import { parseInput } from '../validation.js';
import { DnsLookupError, type DnsResolver } from './dns.js';
import { canonicalDomain, domainOfEmail, domainPolicy } from './policy.js';
import { type Domain, domainInput } from './schema.js';

export const RECORD_PREFIX = '_zelto-verification';
const VALUE_PREFIX = 'zelto-verification=';

function present(row: DomainsTable): Domain {
  return {
    domain: row.domain,
    status: row.status,
    record: { type: 'TXT', name: `${RECORD_PREFIX}.${row.domain}`, value: `${VALUE_PREFIX}${row.token}` },
    verifiedAt: toIsoOrNull(row.verified_at),
  };
}

function parseDomain(input: unknown): string {
  const { domain } = parseInput(domainInput, input);
  const canonical = canonicalDomain(domain);
  if (!canonical) {
    throw new DomainError('validation_failed', `"${domain}" is not a domain name; give one like acme.com.`, {
      issues: [{ path: 'domain', message: 'Not a domain name, e.g. acme.com.' }],
    });
  }
  return canonical;
}

/**
 * Domain join: a person who proved an email address on a domain that an organization has
 * verified, with domain join on, joins it as a member. Someone an admin removed is not
 * brought back this way (an invitation or the invite link still works).
 */
export async function joinByDomain(ctx: CoreContext, db: Db, user: UsersTable): Promise<void> {
  if (user.email_verified_at === null) return;
  const match = await db
    .selectFrom('domains')
    .innerJoin('organizations', 'organizations.id', 'domains.org_id')
    .select(['domains.org_id', 'domains.domain'])
    .where('domains.domain', '=', domainOfEmail(user.email))
    .where('domains.status', '=', 'verified')
    .where('organizations.domain_join', '=', 1)
    .executeTakeFirst();
  if (!match) return;
  const removed = await db
    .selectFrom('membership_removals')
    .select('removed_at')
    .where('org_id', '=', match.org_id)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (removed) return;
  await addMember(ctx, db, {
    orgId: match.org_id,
    userId: user.id,
    role: 'member',
    via: 'domain',
    actor: { type: 'system', id: null, label: `domain join (${match.domain})` },
  });
}

export function domainUseCases(ctx: CoreContext, dns: DnsResolver) {
  async function requireDomain(db: Db, org: OrgPrincipal, domain: string): Promise<DomainsTable> {
    const row = await db.selectFrom('domains').selectAll().where('org_id', '=', org.orgId).where('domain', '=', domain).executeTakeFirst();
    if (!row) throw new DomainError('domain_not_found', `${domain} is not one of this organization's domains. Add it first.`);
    return row;
  }

  return {
    /** The organization's domains with their status and the record to publish. */
    async list(principal: Principal) {
      const org = authorize(principal, 'domains.manage');
      const rows = await ctx.db
        .selectFrom('domains')
        .selectAll()
        .where('org_id', '=', org.orgId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return { data: rows.map(present) };
    },

    /** Adds a domain to verify; the answer says which TXT record to publish. */
    async add(principal: Principal, input: unknown): Promise<Domain> {
      const org = authorize(principal, 'domains.manage');
      const domain = parseDomain(input);
      const verdict = domainPolicy(domain);
      if (!verdict.ok) {
        throw new DomainError(
          'domain_not_allowed',
          verdict.reason === 'public_provider'
            ? `${domain} is a public email provider: anyone can have an address there, so it cannot be used for domain join.`
            : `${domain} is a disposable email domain and cannot be used for domain join.`,
        );
      }
      const claimed = await ctx.db
        .selectFrom('domains')
        .select('org_id')
        .where('domain', '=', domain)
        .where('status', '=', 'verified')
        .executeTakeFirst();
      if (claimed && claimed.org_id !== org.orgId) {
        throw new DomainError(
          'domain_claimed',
          `${domain} is already verified by another organization. A domain belongs to one organization at a time.`,
        );
      }
      const row: DomainsTable = {
        id: ctx.ids.id('dom'),
        org_id: org.orgId,
        domain,
        status: 'pending',
        token: randomBase62(ctx.ids, 32),
        created_at: ctx.clock.now(),
        verified_at: null,
        last_checked_at: null,
      };
      try {
        await ctx.db.transaction().execute(async (trx) => {
          await trx.insertInto('domains').values(row).execute();
          await recordAudit(ctx, trx, {
            orgId: org.orgId,
            actor: actorOf(org),
            action: 'domain.added',
            target: { type: 'domain', id: row.id, label: domain },
          });
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new DomainError('domain_already_added', `${domain} is already added. Verify it, or remove it first.`);
        throw error;
      }
      return present(row);
    },

    /** Looks up the TXT record; marks the domain verified when it holds our token. */
    async verify(principal: Principal, input: unknown): Promise<Domain> {
      const org = authorize(principal, 'domains.manage');
      const domain = parseDomain(input);
      const row = await requireDomain(ctx.db, org, domain);
      if (row.status === 'verified') return present(row);
      const { record } = present(row);
      let found: string[];
      try {
        found = await dns.resolveTxt(record.name);
      } catch (error) {
        const reason = error instanceof DnsLookupError && error.reason === 'timeout' ? 'timed out' : `failed (${(error as Error).message})`;
        throw new DomainError(
          'domain_verification_failed',
          `The DNS lookup of ${record.name} ${reason}. Nothing changed; try again in a minute.`,
          {
            record,
          },
        );
      }
      if (!found.includes(record.value)) {
        const what =
          found.length === 0
            ? `No TXT record was found at ${record.name}.`
            : `Found ${found.length === 1 ? 'a TXT record' : `${found.length} TXT records`} at ${record.name} (${found.map((f) => JSON.stringify(f)).join(', ')}), but none is "${record.value}".`;
        throw new DomainError(
          'domain_verification_failed',
          `${what} Publish a TXT record named ${record.name} with the value ${record.value}, then verify again (DNS changes can take a few minutes).`,
          { record, found },
        );
      }
      const now = ctx.clock.now();
      try {
        await ctx.db.transaction().execute(async (trx) => {
          await trx
            .updateTable('domains')
            .set({ status: 'verified', verified_at: now, last_checked_at: now })
            .where('id', '=', row.id)
            .where('status', '=', 'pending')
            .execute();
          await recordAudit(ctx, trx, {
            orgId: org.orgId,
            actor: actorOf(org),
            action: 'domain.verified',
            target: { type: 'domain', id: row.id, label: domain },
          });
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new DomainError(
            'domain_claimed',
            `${domain} was just verified by another organization. A domain belongs to one organization at a time.`,
          );
        }
        throw error;
      }
      return present({ ...row, status: 'verified', verified_at: now, last_checked_at: now });
    },

    /** Removes a domain; people on it stop joining at once (members stay members). */
    async remove(principal: Principal, input: unknown): Promise<{ removed: Domain }> {
      const org = authorize(principal, 'domains.manage');
      const domain = parseDomain(input);
      return ctx.db.transaction().execute(async (trx) => {
        const row = await requireDomain(trx, org, domain);
        await trx.deleteFrom('domains').where('id', '=', row.id).execute();
        await recordAudit(ctx, trx, {
          orgId: org.orgId,
          actor: actorOf(org),
          action: 'domain.removed',
          target: { type: 'domain', id: row.id, label: domain },
          data: { status: row.status },
        });
        return { removed: present(row) };
      });
    },
  };
}
