import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Mailer, OutgoingEmail } from '@zelto/core';
import type { Logger } from 'pino';

export interface OutboxEntry extends OutgoingEmail {
  sentAt: string;
}

/**
 * The development outbox, used when SMTP is not configured: each email is logged (so codes
 * and links show in the server log) and appended to a JSON-lines file that `zelto outbox`
 * prints.
 */
export function outboxMailer(file: string, logger: Logger): Mailer {
  return {
    async send(email: OutgoingEmail) {
      const entry: OutboxEntry = { ...email, sentAt: new Date().toISOString() };
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, `${JSON.stringify(entry)}\n`);
      logger.info({ to: email.to, subject: email.subject, kind: email.kind, text: email.text }, 'email (dev outbox, not sent)');
    },
  };
}

export function readOutbox(file: string): OutboxEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OutboxEntry);
}
