import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, countRows, expectDomainError, testCore } from '../test-support.js';
import type { TestCore } from '../testing/index.js';
import { canonicalDomain } from './policy.js';

describe('domain names', () => {
  it('are canonical: lower case, ASCII, no trailing dot', () => {
    expect(canonicalDomain(' Acme.COM. ')).toBe('acme.com');
    expect(canonicalDomain('bücher.de')).toBe('xn--bcher-kva.de');
    for (const bad of ['acme', '-acme.com', 'acme..com', 'a b.com', '1.2.3.4', 'x'.repeat(64) + '.com', '']) {
      expect(canonicalDomain(bad), bad).toBeUndefined();
    }
  });
});

describe.each(BACKENDS)('domains and domain join (%s)', (backend) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await testCore(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  async function verified(ownerP: Parameters<TestCore['core']['domains']['add']>[0], domain: string) {
    const added = await t.core.domains.add(ownerP, { domain });
    t.dns.set(added.record.name, [added.record.value]);
    return t.core.domains.verify(ownerP, { domain });
  }

  it('adds a domain with the TXT record to publish, and verifies it through DNS', async () => {
    const { ownerP } = await t.organization();
    const added = await t.core.domains.add(ownerP, { domain: 'Acme.test' });
    expect(added).toMatchObject({
      domain: 'acme.test',
      status: 'pending',
      verifiedAt: null,
      record: { type: 'TXT', name: '_zelto-verification.acme.test' },
    });
    expect(added.record.value).toMatch(/^zelto-verification=[0-9A-Za-z]{32}$/);
    t.dns.set(added.record.name, ['v=spf1 -all', added.record.value]);
    const done = await t.core.domains.verify(ownerP, { domain: 'acme.test' });
    expect(done.status).toBe('verified');
    expect((await t.core.domains.list(ownerP)).data).toEqual([done]);
    const actions = (await t.core.audit.list(ownerP)).data.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['domain.added', 'domain.verified']));
  });

  it('says exactly what DNS held when verification fails, and changes nothing', async () => {
    const { ownerP } = await t.organization();
    const added = await t.core.domains.add(ownerP, { domain: 'acme.test' });
    const none = await expectDomainError(t.core.domains.verify(ownerP, { domain: 'acme.test' }), 'domain_verification_failed');
    expect(none.message).toContain('No TXT record was found at _zelto-verification.acme.test');
    t.dns.set(added.record.name, ['zelto-verification=wrong']);
    const wrong = await expectDomainError(t.core.domains.verify(ownerP, { domain: 'acme.test' }), 'domain_verification_failed');
    expect(wrong.message).toContain('Found a TXT record at _zelto-verification.acme.test ("zelto-verification=wrong"), but none is');
    t.dns.timeout(added.record.name);
    const slow = await expectDomainError(t.core.domains.verify(ownerP, { domain: 'acme.test' }), 'domain_verification_failed');
    expect(slow.message).toContain('timed out');
    expect((await t.core.domains.list(ownerP)).data[0]?.status).toBe('pending');
  });

  it('refuses public mail providers, disposable domains and junk', async () => {
    const { ownerP } = await t.organization();
    for (const domain of ['gmail.com', 'outlook.com', 'GoogleMail.com']) {
      const error = await expectDomainError(t.core.domains.add(ownerP, { domain }), 'domain_not_allowed');
      expect(error.message).toContain('public email provider');
    }
    expect((await expectDomainError(t.core.domains.add(ownerP, { domain: 'mailinator.com' }), 'domain_not_allowed')).message).toContain(
      'disposable',
    );
    await expectDomainError(t.core.domains.add(ownerP, { domain: 'not a domain' }), 'validation_failed');
    await expectDomainError(t.core.domains.add(ownerP, { domain: 'acme.test', extra: 1 }), 'validation_failed');
    expect(await countRows(t, 'domains')).toBe(0);
  });

  it('lets one organization at a time verify a domain', async () => {
    const a = await t.organization('Acme', 'owner@acme.test');
    const b = await t.organization('Globex', 'owner@globex.test');
    const bAdded = await t.core.domains.add(b.ownerP, { domain: 'shared.test' });
    await verified(a.ownerP, 'shared.test');
    t.dns.set(bAdded.record.name, [bAdded.record.value]);
    await expectDomainError(t.core.domains.verify(b.ownerP, { domain: 'shared.test' }), 'domain_claimed');
    await expectDomainError(t.core.domains.add(b.ownerP, { domain: 'shared.test' }), 'domain_claimed');
    await expectDomainError(t.core.domains.add(a.ownerP, { domain: 'shared.test' }), 'domain_already_added');
    const c = await t.organization('Initech', 'owner@initech.test');
    await expectDomainError(t.core.domains.add(c.ownerP, { domain: 'shared.test' }), 'domain_claimed');
  });

  it('lets two organizations race to verify one domain: one wins', async () => {
    const a = await t.organization('Acme', 'owner@acme.test');
    const b = await t.organization('Globex', 'owner@globex.test');
    const ra = await t.core.domains.add(a.ownerP, { domain: 'race.test' });
    const rb = await t.core.domains.add(b.ownerP, { domain: 'race.test' });
    t.dns.set(ra.record.name, [ra.record.value, rb.record.value]);
    const results = await Promise.allSettled([
      t.core.domains.verify(a.ownerP, { domain: 'race.test' }),
      t.core.domains.verify(b.ownerP, { domain: 'race.test' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const verifiedRows = await t.database.db.selectFrom('domains').select('org_id').where('status', '=', 'verified').execute();
    expect(verifiedRows).toHaveLength(1);
  });

  it('needs a verified domain before domain join can be turned on', async () => {
    const { ownerP } = await t.organization();
    const added = await t.core.domains.add(ownerP, { domain: 'acme.test' });
    await expectDomainError(t.core.organizations.update(ownerP, { domainJoin: true }), 'domain_join_requires_verified_domain');
    t.dns.set(added.record.name, [added.record.value]);
    await t.core.domains.verify(ownerP, { domain: 'acme.test' });
    expect((await t.core.organizations.update(ownerP, { domainJoin: true })).domainJoin).toBe(true);
  });

  it('joins people with a verified email on a verified domain as members, and never unverified ones', async () => {
    const { org, ownerP } = await t.organization('Acme', 'owner@acme.test');
    await verified(ownerP, 'acme.test');
    await t.core.organizations.update(ownerP, { domainJoin: true });
    // Verifying an email joins.
    const ana = await t.person('ana@acme.test');
    expect(await t.principal(ana.token, org.id)).toMatchObject({ kind: 'member', role: 'member' });
    expect((await t.core.members.get(ownerP, { member: 'ana@acme.test' })).joinedVia).toBe('domain');
    // An unverified email does not, on sign-up or sign-in.
    const bo = await t.person('bo@acme.test', { verified: false });
    expect(await t.core.authenticate(bo.token, { organization: org.id })).toMatchObject({ ok: false, code: 'not_a_member' });
    await t.core.accounts.signIn({ email: 'bo@acme.test', password: bo.password });
    expect(await t.core.authenticate(bo.token, { organization: org.id })).toMatchObject({ ok: false });
    // Other domains and look-alikes do not.
    const eve = await t.person('eve@notacme.test');
    expect((await t.core.accounts.me(await t.principal(eve.token))).memberships).toEqual([]);
    const sub = await t.person('sam@eng.acme.test');
    expect((await t.core.accounts.me(await t.principal(sub.token))).memberships).toEqual([]);
  });

  it('joins an existing verified account on its next sign-in', async () => {
    const cy = await t.person('cy@acme.test');
    const { org, ownerP } = await t.organization('Acme', 'owner@acme.test');
    await verified(ownerP, 'acme.test');
    await t.core.organizations.update(ownerP, { domainJoin: true });
    const session = await t.core.accounts.signIn({ email: 'cy@acme.test', password: cy.password });
    expect(session.memberships.map((m) => m.organization.id)).toContain(org.id);
  });

  it('stops new joins at once when domain join is turned off or the domain is removed', async () => {
    const { org, ownerP } = await t.organization('Acme', 'owner@acme.test');
    await verified(ownerP, 'acme.test');
    await t.core.organizations.update(ownerP, { domainJoin: true });
    await t.core.organizations.update(ownerP, { domainJoin: false });
    const ana = await t.person('ana@acme.test');
    expect((await t.core.authenticate(ana.token, { organization: org.id })).ok).toBe(false);
    await t.core.organizations.update(ownerP, { domainJoin: true });
    await t.core.domains.remove(ownerP, { domain: 'acme.test' });
    const bo = await t.person('bo@acme.test');
    expect((await t.core.authenticate(bo.token, { organization: org.id })).ok).toBe(false);
    expect((await t.core.audit.list(ownerP, { action: 'domain.removed' })).data).toHaveLength(1);
  });

  it('does not bring back someone an admin removed', async () => {
    const { org, ownerP } = await t.organization('Acme', 'owner@acme.test');
    await verified(ownerP, 'acme.test');
    await t.core.organizations.update(ownerP, { domainJoin: true });
    const ana = await t.person('ana@acme.test');
    await t.core.members.remove(ownerP, { member: 'ana@acme.test' });
    await t.core.accounts.signIn({ email: 'ana@acme.test', password: ana.password });
    expect((await t.core.authenticate(ana.token, { organization: org.id })).ok).toBe(false);
    // An invitation still brings them back.
    await t.core.invitations.invite(ownerP, { email: 'ana@acme.test' });
    const token = t.mailer.linkFor('ana@acme.test', 'invitation').split('/invitations/')[1] as string;
    await t.core.invitations.accept(await t.principal(ana.token), { token });
    expect((await t.core.authenticate(ana.token, { organization: org.id })).ok).toBe(true);
  });

  it('is managed by admins and owners only', async () => {
    const { org, ownerP } = await t.organization();
    const bo = await t.member(org.id, ownerP, 'bo@acme.test');
    await expectDomainError(t.core.domains.list(bo.principal), 'permission_denied');
    await expectDomainError(t.core.domains.add(bo.principal, { domain: 'acme.test' }), 'permission_denied');
    await expectDomainError(t.core.organizations.update(bo.principal, { domainJoin: true }), 'permission_denied');
  });
});
