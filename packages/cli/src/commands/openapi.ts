import { writeFileSync } from 'node:fs';
import { createCore, migrateToLatest, openSqlite } from '@zelto/core';
import { nodeDnsResolver } from '../dns/node-resolver.js';
import { createLogger } from '../runtime.js';
import { buildRestApp } from '../server.js';
import type { Command } from './command.js';

export const openapi: Command = {
  words: ['openapi'],
  summary: 'Print the OpenAPI 3.1 document of the REST API (what /openapi.json serves)',
  usage: 'zelto openapi [--out FILE]',
  options: { out: { type: 'string' } },
  async run(values, config, io) {
    // The document does not depend on data: describe the app over a throwaway in-memory database.
    const database = openSqlite(':memory:');
    await migrateToLatest(database);
    const core = createCore({
      database,
      mailer: { send: async () => {} },
      dns: nodeDnsResolver([]),
      config: { publicUrl: config.publicUrl },
    });
    const app = buildRestApp({ core, logger: createLogger(config, 'stderr'), config });
    const document = JSON.stringify(await (await app.request('/openapi.json')).json(), null, 2);
    await database.close();
    if (typeof values.out === 'string') writeFileSync(values.out, `${document}\n`);
    else io.out(document);
    return 0;
  },
};
