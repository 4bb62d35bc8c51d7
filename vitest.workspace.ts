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
  return { ...shared, test: { name, root, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } };
}

export default defineConfig({
  test: {
    // ZELTO_TEST_DATABASE_URL turns on the PostgreSQL half of the contract suites.
    provide: { postgresUrl: process.env.ZELTO_TEST_DATABASE_URL ?? '' },
    // Builds the packages once: multi-process and end-to-end tests run the compiled output.
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      project('core', 'packages/core'),
      project('rest', 'packages/rest-adapter'),
      project('mcp', 'packages/mcp-server'),
      project('cli', 'packages/cli'),
    ],
  },
});
