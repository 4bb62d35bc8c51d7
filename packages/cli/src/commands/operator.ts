/** Operator commands on organizations and keys. */
import { openRuntime } from '../runtime.js';
import { type Command, JSON_FLAG, print, required } from './command.js';

export const orgCreate: Command = {
  words: ['org', 'create'],
  summary: 'Create an organization and its owner; prints the first owner API key once',
  usage: 'zelto org create --name NAME --owner-email EMAIL [--json]',
  options: { name: { type: 'string' }, 'owner-email': { type: 'string' }, ...JSON_FLAG },
  async run(values, config, io) {
    const runtime = await openRuntime(config, { logTo: 'stderr' });
    try {
      const created = await runtime.core.operator.createOrganization({
        name: required(values, 'name'),
        ownerEmail: required(values, 'owner-email'),
      });
      print(io, values, created, () =>
        [
          `Created ${created.organization.name} (slug: ${created.organization.slug}, id: ${created.organization.id}).`,
          `Owner: ${created.owner.email} (signs up with this address to claim the account).`,
          '',
          'Owner API key (shown once; store it now):',
          `  ${created.apiKey.secret}`,
        ].join('\n'),
      );
      return 0;
    } finally {
      await runtime.close();
    }
  },
};

export const keysCreate: Command = {
  words: ['keys', 'create'],
  summary: 'Mint an API key for an organization; prints the secret once',
  usage: 'zelto keys create --org SLUG --name NAME --role member|admin|owner [--json]',
  options: { org: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, ...JSON_FLAG },
  async run(values, config, io) {
    const runtime = await openRuntime(config, { logTo: 'stderr' });
    try {
      const key = await runtime.core.operator.createApiKey(required(values, 'org'), {
        name: required(values, 'name'),
        role: required(values, 'role'),
      });
      print(io, values, key, () =>
        [`Minted ${key.role} key "${key.name}" (${key.id}). Secret (shown once):`, `  ${key.secret}`].join('\n'),
      );
      return 0;
    } finally {
      await runtime.close();
    }
  },
};

export const migrate: Command = {
  words: ['migrate'],
  summary: 'Bring the database schema up to date (serve does this on start)',
  usage: 'zelto migrate',
  options: {},
  async run(_values, config, io) {
    const runtime = await openRuntime(config, { logTo: 'stderr' });
    await runtime.close();
    io.out('The database is up to date.');
    return 0;
  },
};
