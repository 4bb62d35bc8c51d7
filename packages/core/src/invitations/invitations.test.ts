import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../clock.js';
import { BACKENDS, countRows, expectDomainError, tableCounts, testCore } from '../test-support.js';
import type { TestCore } from '../testing/index.js';

describe.each(BACKENDS)('invitations (%s)', (backend) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await testCore(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  const tokenOf = (email: string) => t.mailer.linkFor(email, 'invitation').split('/invitations/')[1] as string;

  it('invites by email with a role and lets the verified invitee accept', async () => {
    const { org, ownerP } = await t.organization();
    const { results } = await t.core.invitations.invite(ownerP, { email: 'Ana@Acme.test', role: 'admin' });
    expect(results).toEqual([expect.objectContaining({ email: 'ana@acme.test', outcome: 'invited', emailSent: true })]);
    const invitation = results[0]?.invitation;
    expect(invitation).toMatchObject({ role: 'admin', status: 'pending', invitedBy: { type: 'user', label: 'owner@acme.test' } });
    expect(Date.parse(invitation?.expiresAt as string) - t.clock.now()).toBe(7 * DAY);
    const email = t.mailer.last('ana@acme.test', 'invitation');
    expect(email?.subject).toContain('Acme');
    expect(email?.text).toContain('an admin');

    const ana = await t.person('ana@acme.test');
    const preview = await t.core.invitations.preview({ token: tokenOf('ana@acme.test') });
    expect(preview).toMatchObject({ email: 'ana@acme.test', role: 'admin', status: 'pending', organization: { name: 'Acme' } });
    const accepted = await t.core.invitations.accept(await t.principal(ana.token), { token: tokenOf('ana@acme.test') });
    expect(accepted).toMatchObject({ alreadyMember: false, member: { role: 'admin', joinedVia: 'invitation' } });
    expect((await t.core.invitations.list(ownerP)).data[0]?.status).toBe('accepted');
    expect(await t.principal(ana.token, org.slug)).toMatchObject({ kind: 'member', role: 'admin' });
  });

  it('names the organization, not the API key, as the inviter an invitee sees', async () => {
    const { org, ownerP } = await t.organization();
    const key = await t.core.apiKeys.create(ownerP, { name: 'zapier-prod', role: 'admin' });
    await t.core.invitations.invite(await t.principal(key.secret), { email: 'ana@acme.test', role: 'member' });
    expect(t.mailer.last('ana@acme.test', 'invitation')?.text).toContain(`${org.name} invited you`);
    const preview = await t.core.invitations.preview({ token: tokenOf('ana@acme.test') });
    expect(preview.invitedBy).toBe(org.name);
    await t.core.invitations.invite(ownerP, { email: 'bo@acme.test', role: 'member' });
    expect((await t.core.invitations.preview({ token: tokenOf('bo@acme.test') })).invitedBy).toBe('owner@acme.test');
  });

  it('invites many at once and reports each address', async () => {
    const { org, ownerP } = await t.organization();
    await t.member(org.id, ownerP, 'in@acme.test');
    await t.core.invitations.invite(ownerP, { email: 'pending@acme.test' });
    const { results } = await t.core.invitations.invite(ownerP, {
      emails: ['a@acme.test', 'B@acme.test', 'a@acme.test', 'in@acme.test', 'pending@acme.test'],
      role: 'member',
    });
    expect(results.map((r) => [r.email, r.outcome])).toEqual([
      ['a@acme.test', 'invited'],
      ['b@acme.test', 'invited'],
      ['in@acme.test', 'already_member'],
      ['pending@acme.test', 'already_invited'],
    ]);
    const pending = await t.core.invitations.list(ownerP, { status: 'pending' });
    expect(pending.data.map((i) => i.email).sort()).toEqual(['a@acme.test', 'b@acme.test', 'pending@acme.test']);
  });

  it('refuses a single address that is already a member, and an owner role, changing nothing', async () => {
    const { org, ownerP } = await t.organization();
    await t.member(org.id, ownerP, 'in@acme.test');
    const counts = await tableCounts(t);
    await expectDomainError(t.core.invitations.invite(ownerP, { email: 'IN@acme.test' }), 'already_member');
    await expectDomainError(t.core.invitations.invite(ownerP, { email: 'x@acme.test', role: 'owner' }), 'owner_only_by_transfer');
    const bad = await expectDomainError(
      t.core.invitations.invite(ownerP, { emails: ['ok@acme.test', 'not-an-email', `${'x'.repeat(250)}@a.test`], role: 'boss' }),
      'validation_failed',
    );
    expect(bad.details.issues?.map((i) => i.path).sort()).toEqual(['emails.1', 'emails.2', 'role']);
    expect(await tableCounts(t)).toEqual(counts);
  });

  it('returns the pending invitation instead of a duplicate, even when invites race', async () => {
    const { ownerP } = await t.organization();
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => t.core.invitations.invite(ownerP, { email: 'race@acme.test' })));
    expect(outcomes.filter((o) => o.results[0]?.outcome === 'invited')).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.results[0]?.invitation?.id)).size).toBe(1);
    expect(await countRows(t, 'invitations')).toBe(1);
  });

  it('only accepts with a verified address equal to the invited one', async () => {
    const { ownerP } = await t.organization();
    await t.core.invitations.invite(ownerP, { email: 'ana@acme.test' });
    const token = tokenOf('ana@acme.test');
    const unverified = await t.person('ana@acme.test', { verified: false });
    const notVerified = await expectDomainError(
      t.core.invitations.accept(await t.principal(unverified.token), { token }),
      'email_not_verified',
    );
    expect(notVerified.message).toContain('Verify');
    const other = await t.person('eve@evil.test');
    const mismatch = await expectDomainError(
      t.core.invitations.accept(await t.principal(other.token), { token }),
      'invitation_email_mismatch',
    );
    expect(mismatch.message).toContain('a***@acme.test');
    expect(mismatch.message).not.toContain('ana@acme.test');
    expect(await countRows(t, 'memberships')).toBe(1);
  });

  it('expires invitations after 7 days; a resend revives them with a new link', async () => {
    const { ownerP } = await t.organization();
    await t.core.invitations.invite(ownerP, { email: 'ana@acme.test' });
    const oldToken = tokenOf('ana@acme.test');
    const ana = await t.principal((await t.person('ana@acme.test')).token);
    t.clock.advance(7 * DAY);
    await expectDomainError(t.core.invitations.accept(ana, { token: oldToken }), 'invitation_expired');
    const [expired] = (await t.core.invitations.list(ownerP, { status: 'expired' })).data;
    expect(expired?.email).toBe('ana@acme.test');
    const resent = await t.core.invitations.resend(ownerP, { id: expired?.id });
    expect(resent).toMatchObject({ status: 'pending', emailSent: true });
    const newToken = tokenOf('ana@acme.test');
    expect(newToken).not.toBe(oldToken);
    await expectDomainError(t.core.invitations.accept(ana, { token: oldToken }), 'invitation_not_found');
    await t.core.invitations.accept(ana, { token: newToken });
  });

  it('kills the old link on resend, and a revoked invitation cannot be accepted', async () => {
    const { ownerP } = await t.organization();
    const { results } = await t.core.invitations.invite(ownerP, { email: 'ana@acme.test' });
    const id = results[0]?.invitation?.id as string;
    const first = tokenOf('ana@acme.test');
    await t.core.invitations.resend(ownerP, { id });
    const second = tokenOf('ana@acme.test');
    const ana = await t.principal((await t.person('ana@acme.test')).token);
    await expectDomainError(t.core.invitations.accept(ana, { token: first }), 'invitation_not_found');
    const revoked = await t.core.invitations.revoke(ownerP, { id });
    expect(revoked.status).toBe('revoked');
    await expectDomainError(t.core.invitations.accept(ana, { token: second }), 'invitation_revoked');
    await expectDomainError(t.core.invitations.revoke(ownerP, { id }), 'invitation_not_pending');
    await expectDomainError(t.core.invitations.resend(ownerP, { id }), 'invitation_not_pending');
    // A new invitation to the same address is allowed after a revoke.
    expect((await t.core.invitations.invite(ownerP, { email: 'ana@acme.test' })).results[0]?.outcome).toBe('invited');
  });

  it('makes one membership from concurrent accepts of one invitation', async () => {
    const { org, ownerP } = await t.organization();
    await t.core.invitations.invite(ownerP, { email: 'ana@acme.test', role: 'admin' });
    const token = tokenOf('ana@acme.test');
    const ana = await t.principal((await t.person('ana@acme.test')).token);
    const results = await Promise.all(Array.from({ length: 8 }, () => t.core.invitations.accept(ana, { token })));
    expect(results.filter((r) => !r.alreadyMember)).toHaveLength(1);
    const rows = await t.database.db
      .selectFrom('memberships')
      .selectAll()
      .where('org_id', '=', org.id)
      .where('role', '=', 'admin')
      .execute();
    expect(rows).toHaveLength(1);
    expect((await t.core.audit.list(ownerP, { action: 'invitation.accepted' })).data).toHaveLength(1);
  });

  it('upgrades a member who joined by link to the role of their invitation', async () => {
    const { ownerP } = await t.organization();
    await t.core.invitations.invite(ownerP, { email: 'ana@acme.test', role: 'admin' });
    const ana = await t.principal((await t.person('ana@acme.test')).token);
    await t.core.inviteLink.join(ana, { token: await t.inviteLinkToken(ownerP) });
    const accepted = await t.core.invitations.accept(ana, { token: tokenOf('ana@acme.test') });
    expect(accepted).toMatchObject({ alreadyMember: true, member: { role: 'admin' } });
  });

  it('reports an undelivered email so the invitation can be resent', async () => {
    const { ownerP } = await t.organization();
    t.mailer.failNext();
    const { results } = await t.core.invitations.invite(ownerP, { email: 'ana@acme.test' });
    expect(results[0]).toMatchObject({ outcome: 'invited', emailSent: false });
    expect(results[0]?.message).toContain('resend');
    const resent = await t.core.invitations.resend(ownerP, { id: results[0]?.invitation?.id });
    expect(resent.emailSent).toBe(true);
  });

  it("is for admins and owners, and never reaches another organization's invitations", async () => {
    const a = await t.organization('Acme', 'owner@acme.test');
    const b = await t.organization('Globex', 'owner@globex.test');
    const member = await t.member(a.org.id, a.ownerP, 'bo@acme.test');
    await expectDomainError(t.core.invitations.invite(member.principal, { email: 'x@acme.test' }), 'permission_denied');
    await expectDomainError(t.core.invitations.list(member.principal), 'permission_denied');
    const { results } = await t.core.invitations.invite(a.ownerP, { email: 'x@acme.test' });
    const id = results[0]?.invitation?.id as string;
    await expectDomainError(t.core.invitations.revoke(b.ownerP, { id }), 'invitation_not_found');
    await expectDomainError(t.core.invitations.resend(b.ownerP, { id }), 'invitation_not_found');
    expect((await t.core.invitations.list(b.ownerP)).data).toEqual([]);
  });
});
