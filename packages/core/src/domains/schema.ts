import { z } from 'zod';
import { isoDateTime } from '../schemas.js';

export const domainSchema = z
  .object({
    domain: z.string(),
    status: z.enum(['pending', 'verified']),
    record: z.object({ type: z.literal('TXT'), name: z.string(), value: z.string() }).describe('Publish this DNS record, then verify.'),
    verifiedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Domain' });
export type Domain = z.infer<typeof domainSchema>;

export const domainInput = z
  .object({ domain: z.string({ error: 'A domain is required, e.g. acme.com.' }).trim().min(1).max(253) })
  .strict();

export const domainListSchema = z.object({ data: z.array(domainSchema) }).meta({ id: 'DomainList' });
