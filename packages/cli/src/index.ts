export { type Config, readConfig } from './config.js';
export { openRuntime, type Runtime } from './runtime.js';
export { type RunningServer, startServer } from './server.js';
