import { z } from 'zod';
import { memberSchema } from '../members/schema.js';
import { isoDateTime } from '../schemas.js';

export const inviteLinkSchema = z
  .object({
    url: z.string().nullable().describe('The link to share; null while revoked.'),
    expiresAt: isoDateTime.nullable(),
    status: z.enum(['active', 'revoked', 'expired']),
  })
  .meta({ id: 'InviteLink' });
export type InviteLink = z.infer<typeof inviteLinkSchema>;

export const inviteTokenInput = z
  .object({ token: z.string().trim().min(1, { error: 'The token from the invite link is required.' }).max(200) })
  .strict();

export const publicOrganizationSchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), logoUrl: z.string().nullable(), defaultLocale: z.string() })
  .meta({ id: 'PublicOrganization' });

export const joinPreviewSchema = z
  .object({ organization: publicOrganizationSchema, expiresAt: isoDateTime, role: z.literal('member') })
  .meta({ id: 'JoinPreview' });

export const joinResultSchema = z
  .object({
    organization: publicOrganizationSchema,
    member: memberSchema,
    alreadyMember: z.boolean().describe('True when the person was already in: joining twice changes nothing.'),
  })
  .meta({ id: 'JoinResult' });
