/**
 * The invariants concurrency can break, enforced by the database and tested under real
 * concurrency: racing promises on one connection pool (both backends), and several
 * processes on one SQLite file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { BACKENDS, countRows, testCore } from '../src/test-support.js';
import type { TestCore } from '../src/testing/index.js';

const exec = promisify(execFile);

async function ownersOf(t: TestCore, orgId: string): Promise<number> {
  return (await t.database.db.selectFrom('memberships').select('id').where('org_id', '=', orgId).where('role', '=', 'owner').execute())
    .length;
}

describe.each(BACKENDS)('racing requests on one pool (%s)', (backend) => {
  let t: TestCore;
  afterEach(async () => {
    await t.close();
  });

  it('leaves exactly one owner when transfers race, from a session and a key at once', async () => {
    t = await testCore(backend);
    const { org, ownerP } = await t.organization();
    const ownerKey = await t.principal((await t.core.apiKeys.create(ownerP, { name: 'owner key', role: 'owner' })).secret);
    const targets = [];
    for (let i = 0; i < 6; i++) targets.push(await t.member(org.id, ownerP, `t${i}@acme.test`, i % 2 ? 'admin' : 'member'));
    const outcomes = await Promise.allSettled(
      targets.map((target, i) => t.core.members.transferOwnership(i % 2 ? ownerKey : ownerP, { member: target.email })),
    );
    expect(await ownersOf(t, org.id)).toBe(1);
    // The session's transfers need the caller to still be the owner: at most one of them wins.
    const wins = outcomes.filter((o, i) => o.status === 'fulfilled' && i % 2 === 0);
    expect(wins.length).toBeLessThanOrEqual(1);
    const audit = await t.core.audit.list(ownerP.kind === 'member' ? ownerKey : ownerP, { action: 'ownership.transferred', limit: 100 });
    expect(audit.data.length).toBe(outcomes.filter((o) => o.status === 'fulfilled').length);
  });

  it('keeps one membership per person when joins, accepts and invitations race', async () => {
    t = await testCore(backend);
    const { org, ownerP } = await t.organization();
    await t.core.invitations.invite(ownerP, { email: 'ana@acme.test' });
    const invitationToken = t.mailer.linkFor('ana@acme.test', 'invitation').split('/invitations/')[1] as string;
    const linkToken = await t.inviteLinkToken(ownerP);
    const ana = await t.principal((await t.person('ana@acme.test')).token);
    await Promise.allSettled([
      ...Array.from({ length: 5 }, () => t.core.invitations.accept(ana, { token: invitationToken })),
      ...Array.from({ length: 5 }, () => t.core.inviteLink.join(ana, { token: linkToken })),
    ]);
    const rows = await t.database.db.selectFrom('memberships').select('id').where('org_id', '=', org.id).execute();
    expect(rows).toHaveLength(2);
    const accepted = await t.database.db.selectFrom('invitations').select('status').executeTakeFirstOrThrow();
    expect(accepted.status).toBe('accepted');
  });

  it('refuses a removed member on the next request while their requests race the removal', async () => {
    t = await testCore(backend);
    const { org, ownerP } = await t.organization();
    const bo = await t.member(org.id, ownerP, 'bo@acme.test', 'admin');
    await Promise.allSettled([
      t.core.members.remove(ownerP, { member: 'bo@acme.test' }),
      ...Array.from({ length: 5 }, () => t.core.members.list(bo.principal)),
    ]);
    expect(await t.core.authenticate(bo.token, { organization: org.id })).toMatchObject({ ok: false, code: 'not_a_member' });
  });
});

describe('several processes on one SQLite file', () => {
  let dir: string;
  let t: TestCore;
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const worker = new URL('./race-worker.mjs', import.meta.url).pathname;

  async function race(file: string, jobs: Array<[operation: string, bearer: string, argument: string]>) {
    const startAt = String(Date.now() + 1500);
    const outputs = await Promise.all(jobs.map(([op, bearer, arg]) => exec(process.execPath, [worker, file, op, bearer, arg, startAt])));
    return outputs.map((o) => JSON.parse(o.stdout) as { ok: boolean; code?: string; result?: { alreadyMember?: boolean } });
  }

  async function setup() {
    dir = mkdtempSync(join(tmpdir(), 'zelto-race-'));
    const file = join(dir, 'zelto.db');
    t = await testCore('sqlite', { sqliteFile: file, clock: new ManualClock(Date.now()) });
    return file;
  }

  it('makes one membership from one invitation accepted by four processes at once', async () => {
    const file = await setup();
    const { org, ownerP } = await t.organization();
    await t.core.invitations.invite(ownerP, { email: 'ana@acme.test', role: 'admin' });
    const token = t.mailer.linkFor('ana@acme.test', 'invitation').split('/invitations/')[1] as string;
    const ana = await t.person('ana@acme.test');
    const results = await race(
      file,
      Array.from({ length: 4 }, () => ['accept', ana.token, token] as [string, string, string]),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.result?.alreadyMember === false)).toHaveLength(1);
    const rows = await t.database.db
      .selectFrom('memberships')
      .select('role')
      .where('org_id', '=', org.id)
      .where('role', '=', 'admin')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('leaves exactly one owner when four processes transfer ownership at once', async () => {
    const file = await setup();
    const { org, ownerP } = await t.organization();
    const key = await t.core.apiKeys.create(ownerP, { name: 'owner key', role: 'owner' });
    const emails = ['a@acme.test', 'b@acme.test', 'c@acme.test', 'd@acme.test'];
    for (const email of emails) await t.member(org.id, ownerP, email);
    const results = await race(
      file,
      emails.map((email) => ['transfer', key.secret, email] as [string, string, string]),
    );
    expect(results.every((r) => r.ok || r.code !== 'crash')).toBe(true);
    expect(await ownersOf(t, org.id)).toBe(1);
  });

  it('never admits an old link token after a regenerate racing joins, and invites once', async () => {
    const file = await setup();
    const { ownerP } = await t.organization();
    const key = await t.core.apiKeys.create(ownerP, { name: 'admin key', role: 'admin' });
    const old = await t.inviteLinkToken(ownerP);
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await t.person(`p${i}@else.test`));
    const results = await race(file, [
      ['regenerate', key.secret, ''],
      ...people.map((p) => ['join', p.token, old] as [string, string, string]),
      ['invite', key.secret, 'same@acme.test'],
      ['invite', key.secret, 'same@acme.test'],
    ]);
    expect(results.filter((r) => !r.ok).map((r) => r.code)).not.toContain('crash');
    expect(results[0]?.ok).toBe(true);
    for (const p of people) {
      await expect(t.core.inviteLink.join(await t.principal(p.token), { token: old })).rejects.toMatchObject({
        code: 'invite_link_revoked',
      });
    }
    expect(await countRows(t, 'invitations')).toBe(1);
  });
});
