#!/usr/bin/env node
/** The `zelto` command. */
import { parseArgs } from 'node:util';
import { isDomainError } from '@zelto/core';
import type { Command, Io } from './commands/command.js';
import { UsageError } from './commands/command.js';
import { commands } from './commands/index.js';
import { readConfig } from './config.js';

const io: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

function overview(): string {
  const width = Math.max(...commands.map((c) => c.words.join(' ').length));
  return [
    'zelto: the Zelto workspace platform',
    '',
    'Usage: zelto <command> [flags]    (zelto <command> --help for its flags)',
    '',
    ...commands.map((c) => `  ${c.words.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Configuration comes from the environment: ZELTO_DB, DATABASE_URL, ZELTO_PUBLIC_URL, SMTP_URL,',
    'ZELTO_DNS_SERVERS, PORT, HOST, LOG_LEVEL (see the README).',
  ].join('\n');
}

function find(argv: string[]): { command: Command; rest: string[] } | undefined {
  const matches = commands.filter((c) => c.words.every((w, i) => argv[i] === w)).sort((a, b) => b.words.length - a.words.length);
  const command = matches[0];
  return command ? { command, rest: argv.slice(command.words.length) } : undefined;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(overview());
    return 0;
  }
  if (argv[0] === '--version') {
    io.out('0.1.0');
    return 0;
  }
  const found = find(argv);
  if (!found) {
    io.err(`Unknown command: ${argv.join(' ')}\n\n${overview()}`);
    return 2;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    const { values } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false });
    return (await command.run(values as Record<string, string | boolean | undefined>, readConfig(), io)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(error as Error).message}\nUsage: ${command.usage}`);
      return 2;
    }
    if (isDomainError(error)) {
      io.err(`error (${error.code}): ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`zelto: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
