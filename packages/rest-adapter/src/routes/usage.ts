/** Usage metering and the billing portal. */
import { type Core, schemas as s, usageRefusal } from '@zelto/core';
import type { RouteSpec } from '../route.js';

export function usageRoutes(core: Core): RouteSpec[] {
  return [
    {
      method: 'post',
      path: '/v1/usage/events',
      operationId: 'recordUsage',
      summary: 'Record a batch of usage events (up to 1,000), idempotently',
      description:
        'Each event counts once per idempotencyKey; a retry answers as the first time, and a key reused with another payload is refused. Per-event results say accepted, duplicate or refused. When quota and grants are spent and no payment method is on file, events are refused: if none counted, the answer is 402 with billingPortalUrl.',
      tag: 'usage',
      auth: 'org',
      body: s.recordUsageInput,
      status: 200,
      response: s.recordUsageResultSchema,
      errors: [402, 403, 409],
      async handle({ principal, body }) {
        const result = await core.usage.record(principal, body);
        const refusal = usageRefusal(result);
        if (refusal) throw refusal;
        return result;
      },
    },
    {
      method: 'get',
      path: '/v1/usage',
      operationId: 'getUsage',
      summary: 'Usage this month (or ?period=YYYY-MM): used, quota, grants, remaining, overage, by source',
      tag: 'usage',
      auth: 'org',
      query: s.usageSummaryInput,
      status: 200,
      response: s.usageSummarySchema,
      errors: [400, 403, 422],
      handle: ({ principal, query }) => core.usage.summary(principal, query),
    },
    {
      method: 'get',
      path: '/v1/usage/daily',
      operationId: 'getDailyUsage',
      summary: 'Usage per local day with the day-over-day change (?from&to, YYYY-MM-DD)',
      description: "Days follow the organization's timezone, daylight saving time included.",
      tag: 'usage',
      auth: 'org',
      query: s.dailyUsageInput,
      status: 200,
      response: s.dailyUsageSchema,
      errors: [400, 403, 422],
      handle: ({ principal, query }) => core.usage.daily(principal, query),
    },
    {
      method: 'post',
      path: '/v1/billing/portal-sessions',
      operationId: 'openBillingPortal',
      summary: 'A short-lived, single-use link where a person adds a payment method',
      tag: 'billing',
      auth: 'org',
      status: 201,
      response: s.portalSessionSchema,
      errors: [400, 403, 502],
      handle: ({ principal }) => core.billing.openPortal(principal),
    },
  ];
}
