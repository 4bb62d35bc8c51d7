/** Operator commands for plans, grants, usage and payment methods. */
import { openRuntime, type Runtime } from '../runtime.js';
import { type Command, JSON_FLAG, print, required, UsageError, type Values } from './command.js';

async function withRuntime<T>(config: Parameters<typeof openRuntime>[0], run: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(config, { logTo: 'stderr' });
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}

function orgOf(values: Values): string {
  return required(values, 'org');
}

export const quotaSet: Command = {
  words: ['quota', 'set'],
  summary: "Set an organization's monthly quota for a meter (applies to this month at once)",
  usage: 'zelto quota set --org SLUG --meter calls_analyzed|transcript_minutes --monthly N [--json]',
  options: { org: { type: 'string' }, meter: { type: 'string' }, monthly: { type: 'string' }, ...JSON_FLAG },
  run: (values, config, io) =>
    withRuntime(config, async ({ core }) => {
      const result = await core.operator.setQuota(orgOf(values), {
        meter: required(values, 'meter'),
        monthly: required(values, 'monthly'),
      });
      print(io, values, result, () => `${result.organization}: ${result.meter} quota is now ${result.monthly} per month.`);
      return 0;
    }),
};

export const grantAdd: Command = {
  words: ['grant', 'add'],
  summary: 'Add a prepaid grant to a meter (optionally usable until a date, inclusive)',
  usage: 'zelto grant add --org SLUG --meter METER --amount N [--expires YYYY-MM-DD] [--json]',
  options: { org: { type: 'string' }, meter: { type: 'string' }, amount: { type: 'string' }, expires: { type: 'string' }, ...JSON_FLAG },
  run: (values, config, io) =>
    withRuntime(config, async ({ core }) => {
      const grant = await core.operator.addGrant(orgOf(values), {
        meter: required(values, 'meter'),
        amount: required(values, 'amount'),
        ...(typeof values.expires === 'string' ? { expires: values.expires } : {}),
      });
      print(
        io,
        values,
        grant,
        () =>
          `${grant.organization}: granted ${grant.amount} ${grant.meter}${grant.expiresAt ? `, usable until ${grant.expiresAt}` : ''} (${grant.id}).`,
      );
      return 0;
    }),
};

export const usageShow: Command = {
  words: ['usage', 'show'],
  summary: "Show an organization's usage this month",
  usage: 'zelto usage show --org SLUG [--json]',
  options: { org: { type: 'string' }, ...JSON_FLAG },
  run: (values, config, io) =>
    withRuntime(config, async ({ core }) => {
      const summary = await core.operator.usage(orgOf(values));
      print(io, values, summary, () =>
        [
          `${summary.period.label} (${summary.period.timezone}), payment method ${summary.paymentMethod ? 'on file' : 'not on file'}`,
          ...summary.meters.map(
            (m) =>
              `  ${m.meter.padEnd(18)} used ${m.used} ${m.unit} of ${m.quota}; remaining ${m.remaining} (${m.grantsRemaining} from grants); overage ${m.overage}`,
          ),
        ].join('\n'),
      );
      return 0;
    }),
};

export const paymentMethod: Command = {
  words: ['billing', 'payment-method'],
  summary: 'Mark a payment method on (--on) or off (--off) file for an organization',
  usage: 'zelto billing payment-method --org SLUG --on|--off [--json]',
  options: { org: { type: 'string' }, on: { type: 'boolean' }, off: { type: 'boolean' }, ...JSON_FLAG },
  run: (values, config, io) => {
    if (Boolean(values.on) === Boolean(values.off)) throw new UsageError('Give exactly one of --on or --off.');
    return withRuntime(config, async ({ core }) => {
      const result = await core.operator.setPaymentMethod(orgOf(values), values.on === true);
      print(io, values, result, () => `${result.organization}: payment method ${result.paymentMethod ? 'on file' : 'removed'}.`);
      return 0;
    });
  },
};
