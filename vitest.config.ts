import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real servers (Dovecot, PostgreSQL databases, Chromium); on a 2-core
    // machine two files at a time keeps them from starving each other.
    maxWorkers: 2,
    pool: 'forks',
  },
});
