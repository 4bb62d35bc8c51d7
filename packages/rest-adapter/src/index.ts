export { createRestApp, JSON_BODY_LIMIT, type RestOptions } from './app.js';
export type { Logger, RestEnv } from './env.js';
export { HTTP_STATUS, type Problem, problem, problemSchema } from './problem.js';
export { type HandlerInput, mount, type RouteSpec } from './route.js';
