import type { Principal } from '@zelto/core';

/** What middleware puts on the request context. */
export interface RestEnv {
  Variables: {
    requestId: string;
    principal: Principal | undefined;
  };
}

/** The log interface the adapter needs (pino's shape). */
export interface Logger {
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
