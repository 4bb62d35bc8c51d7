import { serveMcpStdio } from '@zelto/mcp-server';
import { openRuntime } from '../runtime.js';
import type { Command } from './command.js';

export const mcpCommand: Command = {
  words: ['mcp'],
  summary: 'Serve MCP over stdio for an assistant, as the org API key in ZELTO_API_KEY',
  usage: 'ZELTO_API_KEY=zlt_... zelto mcp',
  options: {},
  async run(_values, config, io) {
    // stdout carries the protocol: logs go to stderr.
    const runtime = await openRuntime(config, { logTo: 'stderr' });
    let server: { close(): Promise<void> };
    try {
      server = await serveMcpStdio({ core: runtime.core, apiKey: config.apiKey, logger: runtime.logger });
    } catch (error) {
      await runtime.close();
      io.err(`zelto mcp: ${(error as Error).message}${config.apiKey ? '' : ' Set ZELTO_API_KEY to an organization API key.'}`);
      return 1;
    }
    const flush = setInterval(() => {
      runtime.core.apiKeys.flushLastUsed().catch(() => {});
    }, 15_000);
    flush.unref();
    await new Promise<void>((resolve) => {
      process.stdin.once('end', resolve);
      process.stdin.once('close', resolve);
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    clearInterval(flush);
    await server.close();
    await runtime.close();
    return 0;
  },
};
