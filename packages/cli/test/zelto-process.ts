/** Runs the built `zelto` bin as a real process, for end-to-end tests. */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ZELTO_BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const exec = promisify(execFile);

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'zelto-e2e-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs one command to completion. */
export async function zelto(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [ZELTO_BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export interface Served {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `zelto serve` on a free port and waits until it listens. */
export async function serveZelto(env: Record<string, string>, args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [ZELTO_BIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`zelto serve did not start:\n${out}`)), 20_000);
    const check = () => {
      const match = /zelto listening on (http:\/\/[^"\s]+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', () => reject(new Error(`zelto serve exited:\n${out}`)));
  });
  return {
    url,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Cleanups registered during a test, run in reverse order after it. */
export function cleanupsAfterEach(afterEach: (fn: () => Promise<void>) => void): Array<() => unknown> {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}

/** `zelto org create --json` for the organization Acme: its owner key, shown once. */
export async function createAcme(env: Record<string, string>, ownerEmail = 'ana@acme.test'): Promise<{ ownerKey: string }> {
  const created = await zelto(['org', 'create', '--name', 'Acme', '--owner-email', ownerEmail, '--json'], env);
  if (created.code !== 0) throw new Error(`zelto org create failed: ${created.stderr}`);
  return { ownerKey: (JSON.parse(created.stdout) as { apiKey: { secret: string } }).apiKey.secret };
}
