import { bootstrapBanner, bootstrapIfEmpty } from '../bootstrap.js';
import { openRuntime } from '../runtime.js';
import { startServer } from '../server.js';
import type { Command } from './command.js';

export const serveCommand: Command = {
  words: ['serve'],
  summary: 'Run the REST API (/v1), MCP (/mcp), OpenAPI document and pages on one port',
  usage: 'zelto serve [--port 3000] [--host 127.0.0.1] [--bootstrap]',
  options: { port: { type: 'string' }, host: { type: 'string' }, bootstrap: { type: 'boolean', default: false } },
  async run(values, config, io) {
    const port = values.port === undefined ? config.port : Number(values.port);
    const host = typeof values.host === 'string' ? values.host : config.host;
    const runtime = await openRuntime(config, { logTo: 'stdout' });
    const bootstrapped = values.bootstrap ? await bootstrapIfEmpty(runtime) : undefined;
    const server = await startServer(runtime, { port, host });
    if (bootstrapped) io.out(bootstrapBanner(bootstrapped, runtime, config.publicUrl));
    runtime.logger.info({ url: server.url, publicUrl: config.publicUrl }, `zelto listening on ${server.url}`);

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        runtime.logger.info({ signal }, 'shutting down: finishing in-flight requests');
        const force = setTimeout(() => {
          runtime.logger.error('in-flight requests did not finish within 10 s; exiting');
          process.exit(1);
        }, 10_000);
        force.unref();
        server.close().then(resolve, (error: unknown) => {
          runtime.logger.error({ err: error }, 'error while shutting down');
          resolve();
        });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    return 0;
  },
};
