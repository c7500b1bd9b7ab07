import { defineConfig } from 'vitest/config';

// INTERPLAY_TEST_REPORT is set by .ci/run so it can print the closing `tests: N passed, N failed` line.
const report = process.env.INTERPLAY_TEST_REPORT;

export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'examples/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Type-only tests (`*.test-d.ts`): checked by tsc and reported like any other test.
    typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
