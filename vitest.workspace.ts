/**
 * The test projects, one per package. `pnpm test` passes this file with --config (Vitest 4
 * no longer loads vitest.workspace.ts by itself). Tests import packages' source through the
 * `dev-source` export condition: no build step before testing.
 */
import { defineConfig } from 'vitest/config';

const shared = {
  resolve: { conditions: ['dev-source'] },
  ssr: { resolve: { conditions: ['dev-source'] } },
};

function project(name: string, root: string) {
  // Timeouts are per project: the root's do not reach them. End-to-end tests start processes.
  return { ...shared, test: { name, root, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } };
}

export default defineConfig({
  test: {
    // ZELTO_TEST_DATABASE_URL turns on the PostgreSQL half of the contract suites.
    provide: { postgresUrl: process.env.ZELTO_TEST_DATABASE_URL ?? '' },
    // Builds the packages once: multi-process and end-to-end tests run the compiled output.
    globalSetup: ['./test/global-setup.ts'],
    projects: [
      project('core', 'packages/core'),
      project('rest', 'packages/rest-adapter'),
      project('mcp', 'packages/mcp-server'),
      project('cli', 'packages/cli'),
    ],
  },
});
