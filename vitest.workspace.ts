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

export default defineConfig({
  test: {
    // ZELTO_TEST_DATABASE_URL turns on the PostgreSQL half of the contract suites.
    provide: { postgresUrl: process.env.ZELTO_TEST_DATABASE_URL ?? '' },
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [{ ...shared, test: { name: 'core', root: 'packages/core', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } }],
  },
});
