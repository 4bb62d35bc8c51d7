import { z } from 'zod';
import { publicOrganizationSchema } from '../invite-link/schema.js';
import { memberSchema } from '../members/schema.js';
import { actorSchema, emailSchema, isoDateTime, pageSchema, paginationSchema, roleSchema } from '../schemas.js';

export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;

export const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: roleSchema,
    status: z.enum(INVITATION_STATUSES),
    invitedBy: actorSchema,
    createdAt: isoDateTime,
    expiresAt: isoDateTime,
  })
  .meta({ id: 'Invitation' });
export type Invitation = z.infer<typeof invitationSchema>;

const inviteRole = roleSchema.default('member').describe('member or admin.');

/** `{ email, role }` or `{ emails: [...], role }`: one object, so every bad field is named. */
export const createInvitationsInput = z
  .object({
    email: emailSchema.optional().describe('One address.'),
    emails: z
      .array(emailSchema)
      .min(1, { error: 'List at least one email address.' })
      .max(100, { error: 'Invite at most 100 addresses at a time.' })
      .optional()
      .describe('Several addresses.'),
    role: inviteRole,
  })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.email === undefined) === (value.emails === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['email'],
        message: 'Give either email (one address) or emails (a list), not both or neither.',
      });
    }
  });

export const INVITE_OUTCOMES = ['invited', 'already_invited', 'already_member'] as const;

export const inviteResultSchema = z
  .object({
    results: z.array(
      z.object({
        email: z.string(),
        outcome: z.enum(INVITE_OUTCOMES),
        invitation: invitationSchema.nullable(),
        emailSent: z.boolean().describe('False when the email could not be delivered: resend the invitation.'),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: 'InviteResult' });
export type InviteResult = z.infer<typeof inviteResultSchema>;

export const listInvitationsInput = paginationSchema.extend({
  status: z.enum(INVITATION_STATUSES).optional(),
});
export const invitationPageSchema = pageSchema(invitationSchema).meta({ id: 'InvitationPage' });

export const invitationIdInput = z.object({ id: z.string().trim().min(1).max(64) }).strict();

export const invitationTokenInput = z
  .object({ token: z.string().trim().min(1, { error: 'The token from the invitation link is required.' }).max(200) })
  .strict();

export const invitationPreviewSchema = z
  .object({
    organization: publicOrganizationSchema,
    email: z.string(),
    role: roleSchema,
    status: z.enum(INVITATION_STATUSES),
    invitedBy: z.string().describe("The inviter's email, or the organization's name when an API key invited."),
    expiresAt: isoDateTime,
  })
  .meta({ id: 'InvitationPreview' });

export const acceptInvitationResultSchema = z
  .object({
    organization: publicOrganizationSchema,
    member: memberSchema,
    alreadyMember: z.boolean(),
  })
  .meta({ id: 'AcceptInvitationResult' });
