import { z } from 'zod';
import { apiKeySchema } from '../api-keys/schema.js';
import { isoDateTime, memberRefSchema, pageSchema, paginationSchema, roleSchema } from '../schemas.js';

export const JOINED_VIA = ['creator', 'invitation', 'link', 'domain'] as const;

export const memberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    joinedAt: isoDateTime,
    joinedVia: z.enum(JOINED_VIA),
  })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof memberSchema>;

export const listMembersInput = paginationSchema.extend({
  role: roleSchema.optional(),
  query: z.string().trim().max(100).optional().describe('Text in name or email.'),
  joinedAfter: isoDateTimeInput().optional().describe('Joined at or after.'),
});
export const memberPageSchema = pageSchema(memberSchema).meta({ id: 'MemberPage' });

export const memberRefInput = z.object({ member: memberRefSchema }).strict();

export const changeRoleInput = z
  .object({
    member: memberRefSchema,
    role: roleSchema,
  })
  .strict();

export const removeMemberResultSchema = z
  .object({
    removed: memberSchema,
    apiKeysMintedByMember: z
      .array(apiKeySchema)
      .describe('Keys this person minted. They keep working (they belong to the organization); delete them if they should not.'),
  })
  .meta({ id: 'RemoveMemberResult' });

export const transferOwnershipResultSchema = z
  .object({ previousOwner: memberSchema, newOwner: memberSchema })
  .meta({ id: 'TransferOwnershipResult' });

/**
 * An ISO 8601 date-time accepted as input. Kept a string (no transform): adapters may parse
 * input before the core parses it again, so every input schema must be idempotent.
 */
export function isoDateTimeInput() {
  return z.iso.datetime({ offset: true, error: 'Use an ISO 8601 date-time such as 2026-03-01T00:00:00Z.' });
}
