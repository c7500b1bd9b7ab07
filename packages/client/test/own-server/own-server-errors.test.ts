/**
 * The client suite's errors, retries and recorded-transcript tests against Interplay's own server (see
 * own-server.ts). The recorded-transcript tests skip themselves there: they replay the fake API's
 * transcripts byte for byte, which only the fake can serve.
 */
import { describe } from 'vitest';
import { useOwnServer } from './own-server.ts';

await useOwnServer();

describe('own server', () => {
  describe('errors.test.ts', async () => {
    await import('../errors.test.ts');
  });
  describe('retries.test.ts', async () => {
    await import('../retries.test.ts');
  });
  describe('recorded.test.ts', async () => {
    await import('../recorded.test.ts');
  });
});
