/**
 * Field schemas shared by every concept. These are the single source for input types,
 * MCP tool schemas and the OpenAPI document.
 */
import { z } from 'zod';

export const ROLES = ['member', 'admin', 'owner'] as const;
export const roleSchema = z.enum(ROLES, { error: 'Role must be one of member, admin or owner.' });

/** An email address, trimmed and lower-cased: addresses compare case-insensitively. */
export const emailSchema = z
  .string({ error: 'An email address is required.' })
  .trim()
  .max(254, { error: 'An email address has at most 254 characters.' })
  .toLowerCase()
  .pipe(z.email({ error: 'Not a valid email address.' }));

/** A user id (`usr_...`) or an email address. */
export const memberRefSchema = z
  .string({ error: 'Name the member by user id (usr_...) or email address.' })
  .trim()
  .min(1, { error: 'Name the member by user id (usr_...) or email address.' })
  .max(254)
  .describe('User id (usr_...) or email.');

export const nameSchema = z
  .string()
  .trim()
  .min(1, { error: 'A name cannot be empty.' })
  .max(100, { error: 'A name has at most 100 characters.' });

export const isoDateTime = z.string().describe('An ISO 8601 timestamp in UTC.');

export const paginationSchema = z.object({
  limit: z.coerce
    .number({ error: 'limit must be a number.' })
    .int({ error: 'limit must be a whole number.' })
    .min(1, { error: 'limit is at least 1.' })
    .max(100, { error: 'limit is at most 100.' })
    .default(20)
    .describe('1-100'),
  cursor: z.string().max(200).optional().describe('From nextCursor.'),
});

/** A page of results: `nextCursor` is null on the last page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as cursor to get the next page; null on the last page.'),
  });
}

export const actorSchema = z
  .object({
    type: z.enum(['user', 'api_key', 'operator', 'system']),
    id: z.string().nullable(),
    label: z.string().describe('The email of a user or the name of an API key.'),
  })
  .meta({ id: 'Actor' });

export type ActorOutput = z.infer<typeof actorSchema>;
