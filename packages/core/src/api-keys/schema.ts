import { z } from 'zod';
import { actorSchema, isoDateTime, nameSchema, pageSchema, paginationSchema, roleSchema } from '../schemas.js';

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    stub: z.string().describe('The start and end of the key, to recognise it; not usable to authenticate.'),
    createdBy: actorSchema,
    createdAt: isoDateTime,
    lastUsedAt: isoDateTime.nullable().describe('Recorded to the minute.'),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = apiKeySchema
  .extend({ secret: z.string().describe('The key itself. Shown only in this response: store it now.') })
  .meta({ id: 'CreatedApiKey' });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

export const createApiKeyInput = z
  .object({
    name: nameSchema.describe('What it is for.'),
    role: roleSchema.describe('At most your own role.'),
  })
  .strict();

export const apiKeyIdInput = z.object({ id: z.string().trim().min(1).max(64) }).strict();
export const listApiKeysInput = paginationSchema;
export const apiKeyPageSchema = pageSchema(apiKeySchema).meta({ id: 'ApiKeyPage' });
