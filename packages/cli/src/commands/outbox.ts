import { readOutbox } from '../mail/outbox-mailer.js';
import { type Command, JSON_FLAG, print } from './command.js';

export const outbox: Command = {
  words: ['outbox'],
  summary: 'Show the emails of the development outbox (when SMTP_URL is not set)',
  usage: 'zelto outbox [--limit N] [--json]',
  options: { limit: { type: 'string', default: '10' }, ...JSON_FLAG },
  async run(values, config, io) {
    const limit = Math.max(1, Number(values.limit) || 10);
    const entries = readOutbox(config.outboxFile).slice(-limit).reverse();
    print(io, values, entries, () =>
      entries.length === 0
        ? `The outbox (${config.outboxFile}) is empty.`
        : entries.map((e) => `--- ${e.sentAt} to ${e.to}: ${e.subject}\n${e.text}`).join('\n'),
    );
    return 0;
  },
};
