import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, countRows, expectDomainError, tableCounts, testCore } from '../test-support.js';
import type { TestCore } from '../testing/index.js';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5dd6f2e0000000049454e44ae426082',
  'hex',
);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const SVG = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

describe.each(BACKENDS)('organizations (%s)', (backend) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await testCore(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it('makes the creator the one owner, derives the slug and mints the invite link in the same step', async () => {
    const { org, owner, ownerP } = await t.organization('Acme, Inc.');
    expect(org).toMatchObject({
      slug: 'acme-inc',
      name: 'Acme, Inc.',
      timezone: 'UTC',
      defaultLocale: 'en',
      domainJoin: false,
      logoUrl: null,
    });
    expect(org.id).toMatch(/^org_/);
    const members = await t.core.members.list(ownerP);
    expect(members.data).toEqual([expect.objectContaining({ userId: owner.userId, role: 'owner', joinedVia: 'creator' })]);
    const link = await t.core.inviteLink.get(ownerP);
    expect(link.status).toBe('active');
    expect(link.url).toMatch(/^http:\/\/zelto\.test\/join\/[0-9A-Za-z]{32}$/);
    const events = await t.core.audit.list(ownerP);
    expect(events.data.map((e) => e.action).sort()).toEqual(['member.joined', 'organization.created']);
  });

  it('keeps slugs unique, also when organizations with one name are created at once', async () => {
    const person = await t.principal((await t.person('p@acme.test')).token);
    const created = await Promise.all(Array.from({ length: 12 }, () => t.core.organizations.create(person, { name: 'Acme' })));
    const slugs = created.map((o) => o.slug);
    expect(new Set(slugs).size).toBe(12);
    expect(slugs).toContain('acme');
    for (const slug of slugs) expect(slug).toMatch(/^acme(-[0-9a-z]+)?$/);
    expect(await countRows(t, 'invite_links')).toBe(12);
    const sequential = await t.core.organizations.create(person, { name: 'Globex' });
    const next = await t.core.organizations.create(person, { name: 'Globex' });
    expect([sequential.slug, next.slug]).toEqual(['globex', 'globex-2']);
  });

  it('updates settings and records before and after', async () => {
    const { org, ownerP } = await t.organization();
    const updated = await t.core.organizations.update(ownerP, { name: 'Acme Europe', timezone: 'Europe/Paris', defaultLocale: 'fr-fr' });
    expect(updated).toMatchObject({ name: 'Acme Europe', timezone: 'Europe/Paris', defaultLocale: 'fr-FR', slug: org.slug });
    const [event] = (await t.core.audit.list(ownerP, { action: 'organization.updated' })).data;
    expect(event?.data).toEqual({
      name: { before: 'Acme', after: 'Acme Europe' },
      timezone: { before: 'UTC', after: 'Europe/Paris' },
      defaultLocale: { before: 'en', after: 'fr-FR' },
    });
  });

  it('writes no audit event when nothing changes', async () => {
    const { ownerP } = await t.organization();
    const before = await countRows(t, 'audit_events');
    await t.core.organizations.update(ownerP, { name: 'Acme' });
    expect(await countRows(t, 'audit_events')).toBe(before);
  });

  it('refuses to change the slug, clearly, and changes nothing', async () => {
    const { org, ownerP } = await t.organization();
    const error = await expectDomainError(t.core.organizations.update(ownerP, { slug: 'other', name: 'Other' }), 'slug_read_only');
    expect(error.message).toContain('read-only');
    expect(await t.core.organizations.get(ownerP)).toEqual(org);
  });

  it('names every bad setting and changes nothing', async () => {
    const { org, ownerP } = await t.organization();
    const counts = await tableCounts(t);
    const error = await expectDomainError(
      t.core.organizations.update(ownerP, { name: 'x'.repeat(101), timezone: 'Mars/Olympus', defaultLocale: '!!' }),
      'validation_failed',
    );
    expect(error.details.issues?.map((i) => i.path).sort()).toEqual(['defaultLocale', 'name', 'timezone']);
    expect(error.details.issues?.find((i) => i.path === 'timezone')?.message).toContain('IANA');
    expect(await t.core.organizations.get(ownerP)).toEqual(org);
    expect(await tableCounts(t)).toEqual(counts);
  });

  it('accepts PNG, JPEG and WebP logos by content and serves the newest', async () => {
    const { ownerP, org } = await t.organization();
    for (const [bytes, type] of [
      [PNG, 'image/png'],
      [JPEG, 'image/jpeg'],
      [WEBP, 'image/webp'],
    ] as const) {
      const updated = await t.core.organizations.setLogo(ownerP, bytes);
      expect(updated.logoUrl).toMatch(new RegExp(`^http://zelto.test/logos/${org.id}/[0-9a-f]{16}$`));
      const logo = await t.core.organizations.logo(org.id);
      expect(logo?.contentType).toBe(type);
      expect(Buffer.from(logo?.bytes ?? [])).toEqual(bytes);
    }
    const removed = await t.core.organizations.removeLogo(ownerP);
    expect(removed.logoUrl).toBeNull();
    expect(await t.core.organizations.logo(org.id)).toBeUndefined();
  });

  it('refuses SVG, oversized, empty and non-image logos and keeps the old one', async () => {
    const { ownerP, org } = await t.organization();
    await t.core.organizations.setLogo(ownerP, PNG);
    const before = await t.core.organizations.get(ownerP);
    const svg = await expectDomainError(t.core.organizations.setLogo(ownerP, SVG), 'invalid_logo');
    expect(svg.message).toContain('SVG');
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
    const tooLarge = await expectDomainError(t.core.organizations.setLogo(ownerP, big), 'logo_too_large');
    expect(tooLarge.message).toContain('1 MiB');
    await expectDomainError(t.core.organizations.setLogo(ownerP, new Uint8Array()), 'invalid_logo');
    await expectDomainError(t.core.organizations.setLogo(ownerP, Buffer.from('GIF89a....')), 'invalid_logo');
    expect(await t.core.organizations.get(ownerP)).toEqual(before);
    expect(Buffer.from((await t.core.organizations.logo(org.id))?.bytes ?? [])).toEqual(PNG);
  });

  it('lets members read but not change settings', async () => {
    const { org, ownerP } = await t.organization();
    const bo = await t.member(org.id, ownerP, 'bo@acme.test');
    expect((await t.core.organizations.get(bo.principal)).id).toBe(org.id);
    await expectDomainError(t.core.organizations.update(bo.principal, { name: 'Mine' }), 'permission_denied');
    await expectDomainError(t.core.organizations.setLogo(bo.principal, PNG), 'permission_denied');
  });

  it('lets the operator create an organization with an unclaimed owner and a first owner key', async () => {
    const created = await t.core.operator.createOrganization({ name: 'Globex', ownerEmail: 'Hank@Globex.test' });
    expect(created.organization.slug).toBe('globex');
    expect(created.owner).toMatchObject({ email: 'hank@globex.test', role: 'owner', joinedVia: 'creator' });
    expect(created.apiKey.role).toBe('owner');
    const keyP = await t.principal(created.apiKey.secret);
    expect(keyP).toMatchObject({ kind: 'api_key', orgId: created.organization.id, role: 'owner' });
    // Nobody can sign in to the unclaimed account until the address is verified by sign-up.
    await expectDomainError(t.core.accounts.signIn({ email: 'hank@globex.test', password: 'anything at all' }), 'invalid_credentials');
    await t.core.accounts.signUp({ email: 'hank@globex.test', password: 'hanks password', name: 'Hank' });
    const session = await t.core.accounts.verifyEmail({ email: 'hank@globex.test', code: t.mailer.codeFor('hank@globex.test') });
    expect(session.memberships).toEqual([
      expect.objectContaining({ role: 'owner', organization: expect.objectContaining({ slug: 'globex' }) }),
    ]);
  });

  it('is not reachable without choosing an organization', async () => {
    const person = await t.principal((await t.person('solo@acme.test')).token);
    await expectDomainError(t.core.organizations.get(person), 'organization_required');
  });
});
