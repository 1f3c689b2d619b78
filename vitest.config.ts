import { defineConfig } from 'vitest/config';

/**
 * Files that only use the app in-process (unit tests, `app.inject` API tests): they share each worker's
 * loaded modules instead of importing the whole app again per file (isolate: false). Measured on 8 API
 * files: ~1.4 s of CPU per file, a quarter of their CPU. They must leave nothing running behind them
 * (close apps, databases, servers in afterAll), which every file does already.
 * Files that start real servers, browsers or child processes keep a fresh module graph each.
 */
const SHARED_MODULES = [
  'src/**/*.test.ts',
  'web/src/**/*.test.ts',
  'test/api/**/*.test.ts',
  'test/crm/**/*.test.ts',
  'test/linking/**/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real servers (Dovecot, PostgreSQL databases, Chromium). Two files at a time
    // suits a 2-core machine (with three, a timing-sensitive sync test failed on a loaded one);
    // TIDINGS_TEST_WORKERS sets another number for a bigger machine.
    maxWorkers: Number(process.env.TIDINGS_TEST_WORKERS) || 2,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'in-process', include: SHARED_MODULES, isolate: false } },
      { extends: true, test: { name: 'servers', include: ['test/**/*.test.ts'], exclude: SHARED_MODULES, isolate: true } },
    ],
  },
});
