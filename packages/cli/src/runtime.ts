/** The composition root: configuration, database, mailer, logger and core, wired once. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Core, createCore, type DatabaseHandle, type Mailer, migrateToLatest, openDatabase } from '@zelto/core';
import { type Logger, pino } from 'pino';
import { type Config, describeDatabase } from './config.js';
import { nodeDnsResolver } from './dns/node-resolver.js';
import { outboxMailer } from './mail/outbox-mailer.js';
import { smtpMailer } from './mail/smtp-mailer.js';

export interface Runtime {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  core: Core;
  close(): Promise<void>;
}

/** Logs go to stdout for `serve`, and to stderr for commands whose stdout is data or protocol. */
export function createLogger(config: Config, to: 'stdout' | 'stderr'): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'zelto' },
      redact: { paths: ['secret', 'password', '*.secret', '*.password', 'authorization', '*.authorization'], censor: '[redacted]' },
    },
    pino.destination({ fd: to === 'stdout' ? 1 : 2, sync: to === 'stderr' }),
  );
}

export async function openRuntime(config: Config, options: { logTo: 'stdout' | 'stderr' }): Promise<Runtime> {
  const logger = createLogger(config, options.logTo);
  if (!/^postgres/.test(config.database)) mkdirSync(dirname(config.database), { recursive: true });
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  let mailer: Mailer;
  let closeMailer = () => {};
  if (config.smtpUrl) {
    const smtp = smtpMailer(config.smtpUrl, config.mailFrom);
    mailer = smtp;
    closeMailer = () => smtp.close();
  } else {
    mailer = outboxMailer(config.outboxFile, logger);
  }
  const core = createCore({ database, mailer, dns: nodeDnsResolver(config.dnsServers), config: { publicUrl: config.publicUrl } });
  logger.debug({ database: describeDatabase(config.database), mail: config.smtpUrl ? 'smtp' : 'outbox' }, 'runtime ready');
  return {
    config,
    logger,
    database,
    core,
    async close() {
      await core.apiKeys.flushLastUsed().catch((error: unknown) => logger.warn({ err: error }, 'could not flush key usage'));
      closeMailer();
      await database.close();
      logger.flush();
    },
  };
}
