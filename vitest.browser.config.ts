import { defineConfig } from 'vitest/config';

// Browser tests (Debian's Chromium through playwright-core), run by `npm test` after the main suite.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
