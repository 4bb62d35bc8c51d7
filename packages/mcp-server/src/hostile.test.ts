/**
 * Hostile arguments to every MCP tool: every call ends as a result (success or isError),
 * never a protocol crash, the session keeps working, and a refused call changes nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpHarness } from './test-support.js';

type Harness = Awaited<ReturnType<typeof mcpHarness>>;

const TABLES = [
  'users',
  'memberships',
  'invitations',
  'invite_links',
  'api_keys',
  'audit_events',
  'domains',
  'usage_events',
  'billing_portal_sessions',
] as const;

const nasty = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    '../../x',
    '\u0000',
    '<img onerror=1>',
    'a'.repeat(3000),
    'owner@acme.test',
    'me',
    'usr_x',
    'key_x',
    'inv_x',
    'acme.test',
    '-1',
  ),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(nasty, tie('v'), { maxKeys: 4 }),
  ),
})).v;
const args = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'member',
      'role',
      'email',
      'emails',
      'id',
      'domain',
      'limit',
      'cursor',
      'events',
      'name',
      'timezone',
      'slug',
      'confirm',
      'period',
      'from',
      'to',
    ),
    nasty,
  ),
  value,
  { maxKeys: 5 },
);

describe('hostile arguments to every MCP tool', () => {
  let h: Harness;
  let client: Awaited<ReturnType<Harness['connect']>>['client'];
  let tools: string[];
  beforeAll(async () => {
    h = await mcpHarness();
    const { ownerKey, ownerP, org } = await h.org();
    await h.t.member(org.id, ownerP, 'bo@acme.test', 'admin');
    ({ client } = await h.connect(ownerKey));
    tools = (await client.listTools()).tools.map((t) => t.name);
  });
  afterAll(async () => {
    await h.t.close();
  });

  const counts = () => h.t.counts(TABLES);

  it('answers every call with a result, and a refusal changes nothing', async () => {
    expect(tools.length).toBe(25);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...tools), args, async (name, input) => {
        const before = await counts();
        const result = await client.callTool({ name, arguments: input });
        expect(Array.isArray(result.content), name).toBe(true);
        if (result.isError) {
          const text = (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join(' ');
          expect(text, name).not.toMatch(/Something went wrong on Zelto's side/);
          expect(await counts(), `${name} changed state while refusing: ${text}`).toEqual(before);
        }
      }),
      { numRuns: 400 },
    );
    // Still one healthy session.
    expect((await client.callTool({ name: 'get_organization', arguments: {} })).isError).toBeFalsy();
  });
});
