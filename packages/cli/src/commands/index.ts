import type { Command } from './command.js';
import { mcpCommand } from './mcp.js';
import { openapi } from './openapi.js';
import { keysCreate, migrate, orgCreate } from './operator.js';
import { outbox } from './outbox.js';
import { serveCommand } from './serve.js';
import { grantAdd, paymentMethod, quotaSet, usageShow } from './usage.js';

/** Every `zelto` command, in the order `zelto --help` lists them. */
export const commands: Command[] = [
  serveCommand,
  mcpCommand,
  orgCreate,
  keysCreate,
  quotaSet,
  grantAdd,
  usageShow,
  paymentMethod,
  outbox,
  openapi,
  migrate,
];
