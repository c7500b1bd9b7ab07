/** `interplay` — the CLI (`interplay serve | run | watch | demo`) and the testing kit. */
export { createTestEnvironment, type TestEnvironment, type TestEnvironmentOptions } from './testing.ts';
