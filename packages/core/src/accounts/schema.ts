import { z } from 'zod';
import { localeSchema } from '../organizations/settings.js';
import { emailSchema, isoDateTime, nameSchema, roleSchema } from '../schemas.js';

export const passwordSchema = z
  .string({ error: 'A password is required.' })
  .min(10, { error: 'A password has at least 10 characters.' })
  .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, { error: 'A password has at most 72 bytes.' });

export const signUpInput = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    name: nameSchema,
    locale: localeSchema.optional().describe('BCP 47 locale for the new account; defaults to en.'),
  })
  .strict();

export const signInInput = z
  .object({
    email: emailSchema,
    password: z.string({ error: 'A password is required.' }).min(1, { error: 'A password is required.' }).max(1024),
  })
  .strict();

/** `{ email, code }` from the email's text, or `{ token }` from its link. */
export const verifyEmailInput = z
  .object({
    email: emailSchema.optional(),
    code: z
      .string({ error: 'The 6-digit code from the email is required.' })
      .trim()
      .regex(/^\d{6}$/, { error: 'The code is the 6 digits from the email.' })
      .optional(),
    token: z.string().min(16).max(200).optional().describe('The token from the link in the email.'),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.token !== undefined) {
      if (value.code !== undefined) ctx.addIssue({ code: 'custom', path: ['code'], message: 'Send the code or the token, not both.' });
      return;
    }
    if (value.email === undefined)
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'The email address the code was sent to is required.' });
    if (value.code === undefined) ctx.addIssue({ code: 'custom', path: ['code'], message: 'The 6-digit code from the email is required.' });
  });

export const resendVerificationInput = z.object({ email: emailSchema }).strict();

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    emailVerified: z.boolean(),
    locale: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

export const membershipSummarySchema = z
  .object({
    organization: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    role: roleSchema,
    joinedAt: isoDateTime,
  })
  .meta({ id: 'MembershipSummary' });
export type MembershipSummary = z.infer<typeof membershipSummarySchema>;

export const sessionSchema = z
  .object({
    token: z.string().describe('Send as Authorization: Bearer <token>; with Zelto-Organization to act in an organization.'),
    expiresAt: isoDateTime,
    user: userSchema,
    memberships: z.array(membershipSummarySchema),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;

export const meSchema = z.object({ user: userSchema, memberships: z.array(membershipSummarySchema) }).meta({ id: 'Me' });

export const signUpResultSchema = z
  .object({
    email: z.string(),
    verificationRequired: z.literal(true),
    message: z.string(),
  })
  .meta({ id: 'SignUpResult' });

/** Who is calling, for per-client rate limits. */
export interface ClientInfo {
  ip?: string | undefined;
}
