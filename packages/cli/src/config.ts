/**
 * Configuration from the environment. This file is the only place in Zelto that reads
 * process.env; everything else receives a Config.
 */
import { dirname, resolve } from 'node:path';

export interface Config {
  /** A postgres:// URL or a SQLite file path. */
  database: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** `host:port` resolvers for domain verification; empty: the system's. */
  dnsServers: string[];
  port: number;
  host: string;
  logLevel: string;
  /** Where the development outbox keeps emails when SMTP is not configured. */
  outboxFile: string;
  /** Trust X-Forwarded-For for the client address (behind a load balancer). */
  trustProxy: boolean;
  /** Origins allowed to call /mcp from a browser, besides the public URL's. */
  mcpAllowedOrigins: string[];
  /** The org API key `zelto mcp` (stdio) acts with. */
  apiKey: string | undefined;
  /** Bootstrap defaults for `pnpm start` on an empty database. */
  bootstrapOrgName: string;
  bootstrapOwnerEmail: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const sqliteFile = resolve(env.ZELTO_DB ?? './.zelto/zelto.db');
  const database = env.DATABASE_URL && /^postgres(ql)?:\/\//.test(env.DATABASE_URL) ? env.DATABASE_URL : sqliteFile;
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}".`);
  const host = env.HOST ?? '127.0.0.1';
  return {
    database,
    publicUrl: (env.ZELTO_PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.ZELTO_MAIL_FROM ?? 'Zelto <no-reply@zelto.localhost>',
    dnsServers: (env.ZELTO_DNS_SERVERS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    port,
    host,
    logLevel: env.LOG_LEVEL ?? 'info',
    outboxFile: resolve(env.ZELTO_OUTBOX ?? resolve(dirname(sqliteFile), 'outbox.jsonl')),
    trustProxy: env.ZELTO_TRUST_PROXY === '1' || env.ZELTO_TRUST_PROXY === 'true',
    mcpAllowedOrigins: (env.ZELTO_MCP_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    apiKey: env.ZELTO_API_KEY || undefined,
    bootstrapOrgName: env.ZELTO_BOOTSTRAP_ORG ?? 'My Organization',
    bootstrapOwnerEmail: env.ZELTO_BOOTSTRAP_EMAIL ?? 'owner@example.com',
  };
}

/** The database target with any password hidden, for logs. */
export function describeDatabase(target: string): string {
  return /^postgres/.test(target) ? target.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : `sqlite:${target}`;
}
