export { createMcpHttpHandler, type McpHttpOptions } from './http.js';
export { ORGANIZATION_URI } from './resources.js';
export { buildMcpServer, type McpServerOptions, SERVER_INFO } from './server.js';
export { type McpStdioOptions, serveMcpStdio } from './stdio.js';
export { type ToolContext, type ToolDef, toolDefinitions } from './tools.js';
