import { defineConfig } from 'vitest/config';

// INTERPLAY_TEST_REPORT is set by .ci/run so it can print the closing `tests: N passed, N failed` line.
const report = process.env.INTERPLAY_TEST_REPORT;

export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'examples/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'consumer/*.test.ts',
      'scripts/test/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
