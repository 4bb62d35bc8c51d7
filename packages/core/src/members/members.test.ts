import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, countRows, expectDomainError, tableCounts, testCore } from '../test-support.js';
import type { TestCore } from '../testing/index.js';

describe.each(BACKENDS)('members (%s)', (backend) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await testCore(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  async function ownerCount(orgId: string): Promise<number> {
    const rows = await t.database.db
      .selectFrom('memberships')
      .select('id')
      .where('org_id', '=', orgId)
      .where('role', '=', 'owner')
      .execute();
    return rows.length;
  }

  it('lists members newest first, in pages that neither skip nor repeat', async () => {
    const { org, ownerP } = await t.organization();
    const token = await t.inviteLinkToken(ownerP);
    t.clock.advance(1000);
    for (let i = 0; i < 24; i++) {
      const p = await t.person(`m${String(i).padStart(2, '0')}@acme.test`);
      await t.core.inviteLink.join(await t.principal(p.token), { token });
      t.clock.advance(i % 3 === 0 ? 0 : 1000); // some share a join time
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await t.core.members.list(ownerP, { limit: 10, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((m) => m.email));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen.at(-1)).toBe('owner@acme.test');
    expect(seen[0]).toBe('m23@acme.test');
    const all = await t.core.members.list(ownerP, { limit: 100 });
    expect(all.data.map((m) => m.email)).toEqual(seen);
    expect(org.id).toBeTruthy();
  });

  it('filters by role, text and join time', async () => {
    const { org, ownerP } = await t.organization();
    await t.member(org.id, ownerP, 'ana@acme.test', 'admin');
    t.clock.advance(60_000);
    const since = new Date(t.clock.now()).toISOString();
    await t.member(org.id, ownerP, 'bo@acme.test', 'member');
    expect((await t.core.members.list(ownerP, { role: 'admin' })).data.map((m) => m.email)).toEqual(['ana@acme.test']);
    expect((await t.core.members.list(ownerP, { query: 'BO@' })).data.map((m) => m.email)).toEqual(['bo@acme.test']);
    expect((await t.core.members.list(ownerP, { joinedAfter: since })).data.map((m) => m.email)).toEqual(['bo@acme.test']);
    await expectDomainError(t.core.members.list(ownerP, { limit: 0 }), 'validation_failed');
    await expectDomainError(t.core.members.list(ownerP, { cursor: 'garbage' }), 'validation_failed');
  });

  it('finds a member by user id or by email, case-insensitively', async () => {
    const { org, ownerP } = await t.organization();
    const ana = await t.member(org.id, ownerP, 'ana@acme.test');
    expect((await t.core.members.get(ownerP, { member: ana.userId })).email).toBe('ana@acme.test');
    expect((await t.core.members.get(ownerP, { member: 'ANA@acme.test' })).userId).toBe(ana.userId);
    await expectDomainError(t.core.members.get(ownerP, { member: 'ghost@acme.test' }), 'member_not_found');
    expect((await t.core.members.get(ana.principal, { member: 'me' })).email).toBe('ana@acme.test');
    const key = await t.principal((await t.core.apiKeys.create(ownerP, { name: 'k', role: 'member' })).secret);
    await expectDomainError(t.core.members.get(key, { member: 'me' }), 'not_a_person');
  });

  it('treats removing yourself as leaving, which members may do', async () => {
    const { org, ownerP } = await t.organization();
    const bo = await t.member(org.id, ownerP, 'bo@acme.test');
    const cy = await t.member(org.id, ownerP, 'cy@acme.test');
    await expectDomainError(t.core.members.remove(bo.principal, { member: 'cy@acme.test' }), 'permission_denied');
    const left = await t.core.members.remove(bo.principal, { member: 'me' });
    expect(left.removed.email).toBe('bo@acme.test');
    await t.core.members.remove(cy.principal, { member: cy.userId });
    await expectDomainError(t.core.members.remove(ownerP, { member: 'me' }), 'owner_cannot_leave');
    expect((await t.core.audit.list(ownerP, { action: 'member.left' })).data).toHaveLength(2);
  });

  it('moves members between member and admin, and records it', async () => {
    const { org, ownerP } = await t.organization();
    await t.member(org.id, ownerP, 'ana@acme.test');
    expect((await t.core.members.changeRole(ownerP, { member: 'ana@acme.test', role: 'admin' })).role).toBe('admin');
    expect((await t.core.members.changeRole(ownerP, { member: 'ana@acme.test', role: 'member' })).role).toBe('member');
    const events = await t.core.audit.list(ownerP, { action: 'member.role_changed' });
    expect(events.data.map((e) => e.data)).toEqual([
      { before: 'admin', after: 'member' },
      { before: 'member', after: 'admin' },
    ]);
  });

  it('never makes an owner by a role change, and never changes the owner role', async () => {
    const { org, owner, ownerP } = await t.organization();
    const admin = await t.member(org.id, ownerP, 'admin@acme.test', 'admin');
    const counts = await tableCounts(t);
    await expectDomainError(t.core.members.changeRole(ownerP, { member: 'admin@acme.test', role: 'owner' }), 'owner_only_by_transfer');
    const locked = await expectDomainError(
      t.core.members.changeRole(admin.principal, { member: owner.email, role: 'member' }),
      'owner_role_locked',
    );
    expect(locked.message).toContain('transfer');
    expect(await tableCounts(t)).toEqual(counts);
    expect(await ownerCount(org.id)).toBe(1);
  });

  it('removes a member: their very next request fails, and the answer lists the keys they minted', async () => {
    const { org, ownerP } = await t.organization();
    const ana = await t.member(org.id, ownerP, 'ana@acme.test', 'admin');
    const key = await t.core.apiKeys.create(ana.principal, { name: 'ana key', role: 'member' });
    const removed = await t.core.members.remove(ownerP, { member: 'ana@acme.test' });
    expect(removed.removed.email).toBe('ana@acme.test');
    expect(removed.apiKeysMintedByMember.map((k) => k.id)).toEqual([key.id]);
    expect(await t.core.authenticate(ana.token, { organization: org.id })).toMatchObject({ ok: false, code: 'not_a_member' });
    // The key belongs to the organization and keeps working until deleted.
    expect((await t.core.authenticate(key.secret)).ok).toBe(true);
  });

  it('refuses to remove the owner and changes nothing', async () => {
    const { org, owner, ownerP } = await t.organization();
    const admin = await t.member(org.id, ownerP, 'admin@acme.test', 'admin');
    const counts = await tableCounts(t);
    const error = await expectDomainError(t.core.members.remove(admin.principal, { member: owner.email }), 'owner_cannot_be_removed');
    expect(error.message).toContain('transfer ownership');
    await expectDomainError(t.core.members.remove(ownerP, { member: owner.userId }), 'owner_cannot_leave');
    expect(await tableCounts(t)).toEqual(counts);
  });

  it('lets members and admins leave, but not the owner or a key', async () => {
    const { org, ownerP } = await t.organization();
    const bo = await t.member(org.id, ownerP, 'bo@acme.test');
    await t.core.members.leave(bo.principal);
    expect(await t.core.authenticate(bo.token, { organization: org.id })).toMatchObject({ ok: false, code: 'not_a_member' });
    await expectDomainError(t.core.members.leave(ownerP), 'owner_cannot_leave');
    const key = await t.core.apiKeys.create(ownerP, { name: 'k', role: 'member' });
    await expectDomainError(t.core.members.leave(await t.principal(key.secret)), 'not_a_person');
    const [left] = (await t.core.audit.list(ownerP, { action: 'member.left' })).data;
    expect(left?.target.label).toBe('bo@acme.test');
  });

  it('transfers ownership: the owner becomes admin, and only the owner may do it', async () => {
    const { org, owner, ownerP } = await t.organization();
    const admin = await t.member(org.id, ownerP, 'admin@acme.test', 'admin');
    await t.member(org.id, ownerP, 'bo@acme.test');
    await expectDomainError(t.core.members.transferOwnership(admin.principal, { member: 'bo@acme.test' }), 'permission_denied');
    const result = await t.core.members.transferOwnership(ownerP, { member: 'bo@acme.test' });
    expect(result.previousOwner).toMatchObject({ email: owner.email, role: 'admin' });
    expect(result.newOwner).toMatchObject({ email: 'bo@acme.test', role: 'owner' });
    expect(await ownerCount(org.id)).toBe(1);
    // The old owner's session now acts as an admin.
    expect(await t.principal(owner.token, org.id)).toMatchObject({ role: 'admin' });
    await expectDomainError(
      t.core.members.transferOwnership(await t.principal(owner.token, org.id), { member: owner.email }),
      'permission_denied',
    );
  });

  it("does not see or touch another organization's members", async () => {
    const a = await t.organization('Acme', 'owner@acme.test');
    const b = await t.organization('Globex', 'owner@globex.test');
    const ana = await t.member(a.org.id, a.ownerP, 'ana@acme.test');
    const counts = await countRows(t, 'memberships');
    await expectDomainError(t.core.members.get(b.ownerP, { member: ana.userId }), 'member_not_found');
    await expectDomainError(t.core.members.remove(b.ownerP, { member: 'ana@acme.test' }), 'member_not_found');
    await expectDomainError(t.core.members.changeRole(b.ownerP, { member: ana.userId, role: 'admin' }), 'member_not_found');
    await expectDomainError(t.core.members.transferOwnership(b.ownerP, { member: ana.userId }), 'member_not_found');
    expect((await t.core.members.list(b.ownerP)).data.map((m) => m.email)).toEqual(['owner@globex.test']);
    expect(await countRows(t, 'memberships')).toBe(counts);
  });
});
