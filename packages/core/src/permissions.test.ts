/**
 * Walks SPEC's role table: every role, as a signed-in member and as an API key, against every
 * operation. "Denied" means a permission_denied refusal that changed nothing; "allowed" means
 * the use case ran (it may still refuse for its own reasons, never for permission).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from './db/schema.js';
import { isDomainError } from './errors.js';
import { can, OPERATIONS, type Operation, PERMISSIONS } from './permissions.js';
import type { Principal } from './principal.js';
import { BACKENDS, expectDomainError, tableCounts, testCore } from './test-support.js';
import type { TestCore } from './testing/index.js';

interface Scene {
  t: TestCore;
  orgId: string;
  ownerP: Principal;
  p: Principal;
  n: number;
}

const PERFORM: Record<Operation, (s: Scene) => Promise<unknown>> = {
  'organization.read': (s) => s.t.core.organizations.get(s.p),
  'members.read': (s) => s.t.core.members.list(s.p),
  'invite_link.manage': (s) => s.t.core.inviteLink.regenerate(s.p),
  'invitations.manage': (s) => s.t.core.invitations.invite(s.p, { email: `invitee${s.n}@acme.test` }),
  'members.change_role': async (s) => {
    const target = await s.t.member(s.orgId, s.ownerP, `target${s.n}@acme.test`);
    return s.t.core.members.changeRole(s.p, { member: target.userId, role: 'admin' });
  },
  'members.remove': async (s) => {
    const target = await s.t.member(s.orgId, s.ownerP, `target${s.n}@acme.test`);
    return s.t.core.members.remove(s.p, { member: target.email });
  },
  'members.leave': (s) => s.t.core.members.leave(s.p),
  'ownership.transfer': async (s) => {
    const target = await s.t.member(s.orgId, s.ownerP, `target${s.n}@acme.test`);
    return s.t.core.members.transferOwnership(s.p, { member: target.email });
  },
  'organization.update': (s) => s.t.core.organizations.update(s.p, { name: `Renamed ${s.n}` }),
  'domains.manage': (s) => s.t.core.domains.add(s.p, { domain: `acme${s.n}.test` }),
  'api_keys.manage': (s) => s.t.core.apiKeys.create(s.p, { name: 'k', role: 'member' }),
  'audit.read': (s) => s.t.core.audit.list(s.p),
  'usage.read': (s) => s.t.core.usage.summary(s.p),
  'usage.record': (s) => s.t.core.usage.record(s.p, { events: [{ meter: 'calls_analyzed', quantity: 1, idempotencyKey: `k${s.n}` }] }),
  'billing.portal': (s) => s.t.core.billing.openPortal(s.p),
};

const ROLES: Role[] = ['member', 'admin', 'owner'];
const KINDS = ['session', 'api_key'] as const;

describe.each(BACKENDS)('permission table (%s)', (backend) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await testCore(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  async function principalFor(orgId: string, ownerP: Principal, ownerToken: string, role: Role, kind: (typeof KINDS)[number], n: number) {
    if (kind === 'api_key') {
      const key = await t.core.apiKeys.create(ownerP, { name: `${role} key`, role });
      return t.principal(key.secret);
    }
    if (role === 'owner') return t.principal(ownerToken, orgId);
    return (await t.member(orgId, ownerP, `${role}${n}@acme.test`, role)).principal;
  }

  it.each(ROLES.flatMap((role) => KINDS.map((kind) => [role, kind] as const)))('holds for a %s (%s)', async (role, kind) => {
    let n = 0;
    for (const operation of OPERATIONS) {
      // A fresh organization per operation: destructive ones (leave, transfer) do not spill over.
      n++;
      const { org, owner, ownerP } = await t.organization(`Org ${n}`, `owner${n}-${role}-${kind}@acme.test`);
      const p = await principalFor(org.id, ownerP, owner.token, role, kind, n);
      const scene: Scene = { t, orgId: org.id, ownerP, p, n };
      if (can(role, operation)) {
        await PERFORM[operation](scene).catch((error: unknown) => {
          if (isDomainError(error) && error.code === 'permission_denied') {
            throw new Error(`${role} (${kind}) was refused ${operation}: ${error.message}`);
          }
          // Allowed by the table, refused by a rule of its own (an API key cannot leave).
          if (!(isDomainError(error) && operation === 'members.leave' && kind === 'api_key' && error.code === 'not_a_person')) throw error;
        });
      } else {
        // Set up whatever the operation needs first, then compare state around the refusal.
        const counts = await tableCounts(t);
        const refusal = PERFORM[operation](scene);
        const error = await refusal.then(
          () => {
            throw new Error(`${role} (${kind}) was allowed ${operation}`);
          },
          (e: unknown) => e,
        );
        expect(isDomainError(error), String(error)).toBe(true);
        const code = isDomainError(error) ? error.code : undefined;
        const expected = operation === 'members.leave' ? (kind === 'api_key' ? 'not_a_person' : 'owner_cannot_leave') : 'permission_denied';
        expect(code, `${role} (${kind}) ${operation}`).toBe(expected);
        if (!['members.change_role', 'members.remove', 'ownership.transfer'].includes(operation)) {
          expect(await tableCounts(t)).toEqual(counts);
        }
      }
    }
  });

  it('matches the role table of the spec', () => {
    const table = Object.fromEntries(OPERATIONS.map((op) => [op, ROLES.filter((r) => can(r, op))]));
    expect(table).toEqual({
      'organization.read': ['member', 'admin', 'owner'],
      'members.read': ['member', 'admin', 'owner'],
      'invite_link.manage': ['admin', 'owner'],
      'invitations.manage': ['admin', 'owner'],
      'members.change_role': ['admin', 'owner'],
      'members.remove': ['admin', 'owner'],
      'members.leave': ['member', 'admin'],
      'ownership.transfer': ['owner'],
      'organization.update': ['admin', 'owner'],
      'domains.manage': ['admin', 'owner'],
      'api_keys.manage': ['admin', 'owner'],
      'audit.read': ['admin', 'owner'],
      'usage.read': ['admin', 'owner'],
      'usage.record': ['member', 'admin', 'owner'],
      'billing.portal': ['admin', 'owner'],
    });
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...OPERATIONS].sort());
  });

  it("gives an owner of another organization nothing of this one's", async () => {
    const a = await t.organization('Acme', 'owner@acme.test');
    const b = await t.organization('Globex', 'owner@globex.test');
    const ana = await t.member(a.org.id, a.ownerP, 'ana@acme.test', 'admin');
    const { results } = await t.core.invitations.invite(a.ownerP, { email: 'x@acme.test' });
    const key = await t.core.apiKeys.create(a.ownerP, { name: 'a', role: 'member' });
    const counts = await tableCounts(t);
    for (const bp of [b.ownerP, await t.principal((await t.core.apiKeys.create(b.ownerP, { name: 'b', role: 'owner' })).secret)]) {
      await expectDomainError(t.core.members.get(bp, { member: ana.userId }), 'member_not_found');
      await expectDomainError(t.core.members.changeRole(bp, { member: ana.email, role: 'member' }), 'member_not_found');
      await expectDomainError(t.core.members.remove(bp, { member: ana.userId }), 'member_not_found');
      await expectDomainError(t.core.members.transferOwnership(bp, { member: ana.userId }), 'member_not_found');
      await expectDomainError(t.core.invitations.revoke(bp, { id: results[0]?.invitation?.id }), 'invitation_not_found');
      await expectDomainError(t.core.apiKeys.delete(bp, { id: key.id }), 'api_key_not_found');
    }
    // Only B's own key was added.
    expect(await tableCounts(t)).toEqual({ ...counts, api_keys: counts.api_keys + 1, audit_events: counts.audit_events + 1 });
    expect(await t.core.authenticate(b.owner.token, { organization: a.org.id })).toMatchObject({ ok: false, code: 'not_a_member' });
  });
});
