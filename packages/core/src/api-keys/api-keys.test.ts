import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../clock.js';
import { sha256 } from '../crypto.js';
import { BACKENDS, countRows, expectDomainError, testCore } from '../test-support.js';
import type { TestCore } from '../testing/index.js';

describe.each(BACKENDS)('API keys and authentication (%s)', (backend) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await testCore(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it('mints a key whose secret is shown once and stored only as a SHA-256 digest', async () => {
    const { owner, ownerP } = await t.organization();
    const key = await t.core.apiKeys.create(ownerP, { name: 'Call upload', role: 'admin' });
    expect(key).toMatchObject({
      name: 'Call upload',
      role: 'admin',
      createdBy: { type: 'user', id: owner.userId, label: owner.email },
      lastUsedAt: null,
    });
    expect(key.secret).toMatch(/^zlt_/);
    const row = await t.database.db.selectFrom('api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(sha256(key.secret));
    expect(JSON.stringify(row)).not.toContain(key.secret.slice(21));
    const listed = await t.core.apiKeys.list(ownerP);
    expect(listed.data[0]).not.toHaveProperty('secret');
    expect(listed.data[0]?.stub).toBe(key.stub);
  });

  it("authenticates with the key's role and attributes actions to the key and its minter", async () => {
    const { org, owner, ownerP } = await t.organization();
    const key = await t.core.apiKeys.create(ownerP, { name: 'bot', role: 'admin' });
    const keyP = await t.principal(key.secret);
    expect(keyP).toMatchObject({ kind: 'api_key', orgId: org.id, role: 'admin', keyId: key.id, minterId: owner.userId });
    await t.core.invitations.invite(keyP, { email: 'ana@acme.test' });
    const [event] = (await t.core.audit.list(ownerP, { action: 'invitation.sent' })).data;
    expect(event?.actor).toEqual({ type: 'api_key', id: key.id, label: 'bot', minterId: owner.userId });
  });

  it("caps a key's role at its minter's role", async () => {
    const { org, ownerP } = await t.organization();
    const admin = await t.member(org.id, ownerP, 'admin@acme.test', 'admin');
    const keys = await countRows(t, 'api_keys');
    await expectDomainError(t.core.apiKeys.create(admin.principal, { name: 'x', role: 'owner' }), 'key_role_exceeds_minter');
    const adminKey = await t.core.apiKeys.create(admin.principal, { name: 'x', role: 'admin' });
    await expectDomainError(
      t.core.apiKeys.create(await t.principal(adminKey.secret), { name: 'y', role: 'owner' }),
      'key_role_exceeds_minter',
    );
    expect(await countRows(t, 'api_keys')).toBe(keys + 1);
  });

  it('refuses a deleted key on the very next request', async () => {
    const { ownerP } = await t.organization();
    const key = await t.core.apiKeys.create(ownerP, { name: 'temp', role: 'member' });
    expect((await t.core.authenticate(key.secret)).ok).toBe(true);
    const { deleted } = await t.core.apiKeys.delete(ownerP, { id: key.id });
    expect(deleted.id).toBe(key.id);
    expect(await t.core.authenticate(key.secret)).toMatchObject({ ok: false, code: 'unauthenticated' });
    await expectDomainError(t.core.apiKeys.delete(ownerP, { id: key.id }), 'api_key_not_found');
  });

  it('refuses malformed, tampered and foreign-organization credentials', async () => {
    const a = await t.organization('Acme', 'owner@acme.test');
    const b = await t.organization('Globex', 'owner@globex.test');
    const key = await t.core.apiKeys.create(a.ownerP, { name: 'a', role: 'admin' });
    const tampered = `${key.secret.slice(0, 25)}${key.secret[25] === 'a' ? 'b' : 'a'}${key.secret.slice(26)}`;
    for (const bearer of [undefined, '', 'Bearer', 'zlt_short', tampered, 'zls_unknown', 'random']) {
      expect(await t.core.authenticate(bearer)).toMatchObject({ ok: false, code: 'unauthenticated' });
    }
    expect(await t.core.authenticate(key.secret, { organization: b.org.slug })).toMatchObject({ ok: false, code: 'permission_denied' });
    expect((await t.core.authenticate(key.secret, { organization: a.org.slug })).ok).toBe(true);
    const other = await t.core.apiKeys.create(b.ownerP, { name: 'b', role: 'admin' });
    await expectDomainError(t.core.apiKeys.delete(a.ownerP, { id: other.id }), 'api_key_not_found');
    expect((await t.core.authenticate(other.secret)).ok).toBe(true);
  });

  it('acts in an organization with a session only when the person is a member of it', async () => {
    const a = await t.organization('Acme', 'owner@acme.test');
    const b = await t.organization('Globex', 'owner@globex.test');
    expect(await t.core.authenticate(a.owner.token, { organization: b.org.id })).toMatchObject({ ok: false, code: 'not_a_member' });
    expect(await t.core.authenticate(a.owner.token, { organization: 'no-such-org' })).toMatchObject({ ok: false, code: 'not_a_member' });
    expect(await t.core.authenticate(a.owner.token, { organization: a.org.slug })).toMatchObject({
      ok: true,
      principal: { role: 'owner' },
    });
    expect(await t.core.authenticate(a.owner.token)).toMatchObject({ ok: true, principal: { kind: 'person' } });
  });

  it('keeps lastUsedAt without a database write per request, flushed in batches', async () => {
    const { ownerP } = await t.organization();
    const key = await t.core.apiKeys.create(ownerP, { name: 'k', role: 'member' });
    const stored = async () =>
      (await t.database.db.selectFrom('api_keys').select('last_used_at').where('id', '=', key.id).executeTakeFirstOrThrow()).last_used_at;
    const usedAt = t.clock.now();
    for (let i = 0; i < 5; i++) await t.core.authenticate(key.secret);
    expect(await stored()).toBeNull();
    expect((await t.core.apiKeys.list(ownerP)).data.find((k) => k.id === key.id)?.lastUsedAt).toBe(new Date(usedAt).toISOString());
    expect(await t.core.apiKeys.flushLastUsed()).toBe(1);
    expect(await stored()).toBe(usedAt);
    // Within a minute of the stored value, a use is not even remembered.
    t.clock.advance(30_000);
    await t.core.authenticate(key.secret);
    expect(await t.core.apiKeys.flushLastUsed()).toBe(0);
    t.clock.advance(MINUTE);
    await t.core.authenticate(key.secret);
    expect(await t.core.apiKeys.flushLastUsed()).toBe(1);
    expect(await stored()).toBe(t.clock.now());
  });

  it('lists keys newest first with a cursor, to admins and owners only', async () => {
    const { org, ownerP } = await t.organization();
    for (let i = 0; i < 5; i++) {
      await t.core.apiKeys.create(ownerP, { name: `k${i}`, role: 'member' });
      t.clock.advance(1);
    }
    const first = await t.core.apiKeys.list(ownerP, { limit: 3 });
    const second = await t.core.apiKeys.list(ownerP, { limit: 3, cursor: first.nextCursor ?? undefined });
    expect([...first.data, ...second.data].map((k) => k.name)).toEqual(['k4', 'k3', 'k2', 'k1', 'k0']);
    expect(second.nextCursor).toBeNull();
    const member = await t.member(org.id, ownerP, 'bo@acme.test');
    await expectDomainError(t.core.apiKeys.list(member.principal), 'permission_denied');
  });
});
