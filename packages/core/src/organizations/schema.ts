import { z } from 'zod';
import { isoDateTime, nameSchema } from '../schemas.js';
import { localeSchema, timezoneSchema } from './settings.js';

export const organizationSchema = z
  .object({
    id: z.string(),
    slug: z.string().describe('Derived from the name at creation; read-only.'),
    name: z.string(),
    logoUrl: z.string().nullable(),
    timezone: z.string().describe('IANA time zone: the day boundary of reports and the month boundary of quotas.'),
    defaultLocale: z.string().describe('BCP 47 locale new members start in.'),
    domainJoin: z.boolean().describe('Whether people with a verified email on a verified domain join automatically.'),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Organization' });
export type Organization = z.infer<typeof organizationSchema>;

export const createOrganizationInput = z
  .object({
    name: nameSchema,
    timezone: timezoneSchema.optional().describe('IANA time zone; defaults to UTC.'),
    defaultLocale: localeSchema.optional().describe('BCP 47 locale; defaults to en.'),
  })
  .strict();

export const updateOrganizationInput = z
  .object({
    name: nameSchema.optional(),
    timezone: timezoneSchema.optional(),
    defaultLocale: localeSchema.optional(),
    domainJoin: z.boolean().optional().describe('Auto-join people on verified domains.'),
  })
  .strict();

export const LOGO_MAX_BYTES = 1024 * 1024;
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];
