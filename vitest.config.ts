import { defineConfig } from 'vitest/config';

// INTERPLAY_TEST_REPORT is set by .ci/run so it can print the closing `tests: N passed, N failed` line.
const report = process.env.INTERPLAY_TEST_REPORT;

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'repo',
          include: [
            'packages/*/test/**/*.test.ts',
            'examples/test/**/*.test.ts',
            'bench/test/**/*.test.ts',
            'consumer/manifests.test.ts',
            'scripts/test/*.test.ts',
          ],
          // Type-only tests (`*.test-d.ts`): checked by tsc and reported like any other test.
          typecheck: {
            enabled: true,
            include: ['packages/*/test/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The consumer check builds, installs with npm and type-checks in child processes: run after the rest,
        // so its load does not land on the timing-sensitive tests (it takes a core or two for a few minutes).
        extends: true,
        test: { name: 'consumer', include: ['consumer/consumer.test.ts'], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
