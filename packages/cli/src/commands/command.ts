import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

/** One `zelto` command: its words, its flags, its help, and what it does. */
export interface Command {
  /** e.g. ['org', 'create'] */
  words: string[];
  summary: string;
  usage: string;
  options: Options;
  run(values: Values, config: Config, io: Io): Promise<number | undefined>;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** A required string flag, or a usage error that names it. */
export function required(values: Values, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${flag} is required.`);
  return value;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const JSON_FLAG: Options = { json: { type: 'boolean', default: false } };

/** Prints data as JSON (for --json) or as readable lines. */
export function print(io: Io, values: Values, data: unknown, human: () => string): void {
  io.out(values.json ? JSON.stringify(data, null, 2) : human());
}
