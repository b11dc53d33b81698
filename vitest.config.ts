import { defineConfig } from 'vitest/config';

// Separate from vite.config.ts, whose root is web/: tests live in test/.
// Two projects: everything on SQLite (the embedded default), and the integration suite again on PostgreSQL
// (a throwaway cluster started by test/global-setup-postgres.ts, or HAMI_TEST_POSTGRES_URL).
export default defineConfig({
  test: {
    environment: 'node',
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          // Several server processes sharing one queue is the PostgreSQL set-up (SKIP LOCKED); see the README.
          exclude: ['test/integration/two-processes.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/integration/**/*.test.ts'],
          // These start the server or the CLI on their own SQLite data folder (what they check is the command
          // line: configuration errors, arguments, the secret file, the demo's story read from the SQLite file),
          // or test SQLite's own group commit; the engine code they reach is what the other tests run here.
          exclude: [
            'test/integration/cli.test.ts',
            'test/integration/start-process.test.ts',
            'test/integration/demo-data.test.ts',
            'test/integration/group-commit.test.ts',
            '**/node_modules/**',
          ],
          env: { HAMI_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/global-setup-postgres.ts'],
        },
      },
    ],
  },
});
