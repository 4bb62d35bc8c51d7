import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, countRows, expectDomainError, testCore } from '../test-support.js';
import type { TestCore } from '../testing/index.js';

describe.each(BACKENDS)('audit log (%s)', (backend) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await testCore(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it('writes exactly one event per change, newest first, and none for reads or refusals', async () => {
    const { org, ownerP } = await t.organization();
    const start = await countRows(t, 'audit_events');
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['invitation.sent', () => t.core.invitations.invite(ownerP, { email: 'ana@acme.test', role: 'admin' })],
      ['organization.updated', () => t.core.organizations.update(ownerP, { timezone: 'Europe/Paris' })],
      ['invite_link.regenerated', () => t.core.inviteLink.regenerate(ownerP)],
      ['invite_link.revoked', () => t.core.inviteLink.revoke(ownerP)],
      ['api_key.created', () => t.core.apiKeys.create(ownerP, { name: 'k', role: 'member' })],
    ];
    for (const [action, step] of steps) {
      const before = await countRows(t, 'audit_events');
      await step();
      expect(await countRows(t, 'audit_events'), action).toBe(before + 1);
      t.clock.advance(1);
    }
    // Reads and refusals write nothing.
    const before = await countRows(t, 'audit_events');
    await t.core.members.list(ownerP);
    await t.core.inviteLink.get(ownerP);
    await expectDomainError(t.core.organizations.update(ownerP, { slug: 'x' }), 'slug_read_only');
    expect(await countRows(t, 'audit_events')).toBe(before);

    const page = await t.core.audit.list(ownerP, { limit: 3 });
    expect(page.data.map((e) => e.action)).toEqual(['api_key.created', 'invite_link.revoked', 'invite_link.regenerated']);
    const rest = await t.core.audit.list(ownerP, { limit: 100, cursor: page.nextCursor ?? undefined });
    expect(page.data.length + rest.data.length).toBe(start + steps.length);
    expect(rest.data.map((e) => e.action)).toContain('organization.created');
    expect(org.id).toBeTruthy();
  });

  it('is readable by admins and owners only', async () => {
    const { org, ownerP } = await t.organization();
    const admin = await t.member(org.id, ownerP, 'admin@acme.test', 'admin');
    const member = await t.member(org.id, ownerP, 'bo@acme.test');
    expect((await t.core.audit.list(admin.principal)).data.length).toBeGreaterThan(0);
    await expectDomainError(t.core.audit.list(member.principal), 'permission_denied');
  });
});
