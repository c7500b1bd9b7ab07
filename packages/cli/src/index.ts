/** `@interplay/cli` — the `interplay` command (`serve | run | watch | demo`) and the testing kit (`@interplay/cli/testing`). */
export { createTestEnvironment, type TestEnvironment, type TestEnvironmentOptions } from './testing.ts';
