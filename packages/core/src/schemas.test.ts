import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as s from './schema-index.js';

/**
 * Adapters may validate input with a schema and hand the parsed value to the core, which
 * parses it again: every input schema must give the same value when parsed twice.
 */
describe('input schemas are idempotent', () => {
  const samples: Array<[string, z.ZodType, unknown[]]> = [
    ['signUpInput', s.signUpInput, [{ email: ' Ana@Acme.COM ', password: 'correct horse', name: ' Ana ', locale: 'en-us' }]],
    ['listMembersInput', s.listMembersInput, [{ limit: '5', role: 'admin', query: ' bo ', joinedAfter: '2026-01-01T00:00:00+02:00' }, {}]],
    ['updateOrganizationInput', s.updateOrganizationInput, [{ name: ' Acme ', timezone: 'europe/paris', defaultLocale: 'fr-fr' }]],
    ['createInvitationsInput', s.createInvitationsInput, [{ emails: ['A@b.co', 'c@d.co'] }, { email: 'X@Y.co', role: 'admin' }]],
    ['changeRoleInput', s.changeRoleInput, [{ member: ' usr_1 ', role: 'member' }]],
    ['createApiKeyInput', s.createApiKeyInput, [{ name: 'ci', role: 'member' }]],
    ['verifyEmailInput', s.verifyEmailInput, [{ email: 'A@B.co', code: ' 123456 ' }]],
  ];
  for (const [name, schema, inputs] of samples) {
    it(name, () => {
      for (const input of inputs) {
        const once = schema.parse(input);
        expect(schema.parse(once)).toEqual(once);
      }
    });
  }

  it('holds for arbitrary member queries', () => {
    fc.assert(
      fc.property(fc.record({ limit: fc.integer({ min: 1, max: 100 }), query: fc.string({ maxLength: 100 }) }), (input) => {
        const once = s.listMembersInput.parse(input);
        expect(s.listMembersInput.parse(once)).toEqual(once);
      }),
    );
  });
});
