import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../clock.js';
import { BACKENDS, countRows, expectDomainError, testCore } from '../test-support.js';
import type { TestCore } from '../testing/index.js';

describe.each(BACKENDS)('invite link (%s)', (backend) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await testCore(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it('lets anyone with the link join as a member, once', async () => {
    const { org, ownerP } = await t.organization();
    const token = await t.inviteLinkToken(ownerP);
    const preview = await t.core.inviteLink.preview({ token });
    expect(preview.organization).toMatchObject({ id: org.id, name: 'Acme' });
    const newcomer = await t.person('new@else.test', { verified: false });
    const joined = await t.core.inviteLink.join(await t.principal(newcomer.token), { token });
    expect(joined).toMatchObject({ alreadyMember: false, member: { role: 'member', joinedVia: 'link', email: 'new@else.test' } });
    const again = await t.core.inviteLink.join(await t.principal(newcomer.token), { token });
    expect(again.alreadyMember).toBe(true);
    expect(await countRows(t, 'memberships')).toBe(2);
    const joins = await t.core.audit.list(ownerP, { action: 'member.joined' });
    expect(joins.data.filter((e) => e.target.label === 'new@else.test')).toHaveLength(1);
  });

  it('kills the old URL at once on regenerate, and the new one works', async () => {
    const { ownerP } = await t.organization();
    const old = await t.inviteLinkToken(ownerP);
    const regenerated = await t.core.inviteLink.regenerate(ownerP);
    const fresh = regenerated.url?.split('/join/')[1] as string;
    expect(fresh).not.toBe(old);
    const p = await t.principal((await t.person('late@else.test')).token);
    const error = await expectDomainError(t.core.inviteLink.join(p, { token: old }), 'invite_link_revoked');
    expect(error.message).toContain('replaced');
    await expectDomainError(t.core.inviteLink.preview({ token: old }), 'invite_link_revoked');
    await t.core.inviteLink.join(p, { token: fresh });
  });

  it('stops every link on revoke until one is generated again', async () => {
    const { ownerP } = await t.organization();
    const old = await t.inviteLinkToken(ownerP);
    expect(await t.core.inviteLink.revoke(ownerP)).toEqual({ url: null, expiresAt: null, status: 'revoked' });
    expect((await t.core.inviteLink.get(ownerP)).status).toBe('revoked');
    const p = await t.principal((await t.person('x@else.test')).token);
    await expectDomainError(t.core.inviteLink.join(p, { token: old }), 'invite_link_revoked');
    const again = await t.core.inviteLink.regenerate(ownerP);
    expect(again.status).toBe('active');
    await t.core.inviteLink.join(p, { token: again.url?.split('/join/')[1] as string });
    await expectDomainError(t.core.inviteLink.join(p, { token: old }), 'invite_link_revoked');
  });

  it('expires 30 days after creation or regeneration', async () => {
    const { ownerP } = await t.organization();
    const token = await t.inviteLinkToken(ownerP);
    const p = await t.principal((await t.person('y@else.test')).token);
    t.clock.advance(30 * DAY);
    await expectDomainError(t.core.inviteLink.join(p, { token }), 'invite_link_expired');
    const shown = await t.core.inviteLink.get(ownerP);
    expect(shown.status).toBe('expired');
    const renewed = await t.core.inviteLink.regenerate(ownerP);
    expect(Date.parse(renewed.expiresAt as string)).toBe(t.clock.now() + 30 * DAY);
    await t.core.inviteLink.join(p, { token: renewed.url?.split('/join/')[1] as string });
  });

  it('refuses unknown tokens with a message that says what to do', async () => {
    await t.organization();
    const p = await t.principal((await t.person('z@else.test')).token);
    const error = await expectDomainError(t.core.inviteLink.join(p, { token: 'nope' }), 'invite_link_not_found');
    expect(error.message).toContain('Ask an admin');
  });

  it('is shown to owners and admins only', async () => {
    const { org, ownerP } = await t.organization();
    const admin = await t.member(org.id, ownerP, 'admin@acme.test', 'admin');
    const member = await t.member(org.id, ownerP, 'member@acme.test', 'member');
    expect((await t.core.inviteLink.get(admin.principal)).status).toBe('active');
    await expectDomainError(t.core.inviteLink.get(member.principal), 'permission_denied');
    await expectDomainError(t.core.inviteLink.regenerate(member.principal), 'permission_denied');
    await expectDomainError(t.core.inviteLink.revoke(member.principal), 'permission_denied');
  });

  it('never lets an old token in after a regenerate, even when joins race the regenerate', async () => {
    const { ownerP } = await t.organization();
    const old = await t.inviteLinkToken(ownerP);
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => t.person(`r${i}@else.test`)));
    const principals = await Promise.all(people.map((p) => t.principal(p.token)));
    await Promise.allSettled([t.core.inviteLink.regenerate(ownerP), ...principals.map((p) => t.core.inviteLink.join(p, { token: old }))]);
    for (const p of principals) await expectDomainError(t.core.inviteLink.join(p, { token: old }), 'invite_link_revoked');
  });
});
