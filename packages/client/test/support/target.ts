/**
 * What the client tests talk to: a fault proxy in front of either the fake API (default) or any server
 * speaking the Interactions API, named by `INTERPLAY_CLIENT_TEST_TARGET` (e.g. the project's own server:
 * `INTERPLAY_CLIENT_TEST_TARGET=http://127.0.0.1:8787 npx vitest run packages/client`). Against an external
 * target, `INTERPLAY_CLIENT_TEST_MODEL` names the model to create interactions with, and tests that need the
 * fake's recorded transcripts are skipped.
 */
import type { Revision } from '@interplay/protocol';
import { Agent } from 'undici';
import { InteractionsClient } from '../../src/index.ts';
import type { ClientOptions } from '../../src/options.ts';
import { type FakeApi, startFakeApi } from './fake-api.ts';
import { type FaultProxy, startFaultProxy } from './fault-proxy.ts';
import { loadTranscripts, type Transcript } from './transcripts.ts';

export const EXTERNAL_TARGET = process.env.INTERPLAY_CLIENT_TEST_TARGET;
export const TEST_MODEL = process.env.INTERPLAY_CLIENT_TEST_MODEL ?? 'gemini-3-flash-preview';
export const TEST_API_KEY = process.env.INTERPLAY_CLIENT_TEST_API_KEY ?? 'test-key';

export interface TestTarget {
  /** The proxy's base URL: what clients under test use. */
  baseUrl: string;
  proxy: FaultProxy;
  /** Present when the tests run against the fake API. */
  fake: FakeApi | undefined;
  transcripts: Transcript[];
  dispatcher: Agent;
  client<R extends Revision = 'steps'>(options?: ClientOptions<R>): InteractionsClient<R>;
  close(): Promise<void>;
}

export async function startTarget(options: { eventIntervalMs?: number } = {}): Promise<TestTarget> {
  const transcripts = await loadTranscripts();
  const fake = EXTERNAL_TARGET ? undefined : await startFakeApi({ transcripts, ...options });
  const proxy = await startFaultProxy(EXTERNAL_TARGET ?? (fake as FakeApi).baseUrl);
  const dispatcher = new Agent({ keepAliveTimeout: 1_000 });
  return {
    baseUrl: proxy.baseUrl,
    proxy,
    fake,
    transcripts,
    dispatcher,
    client: <R extends Revision = 'steps'>(o: ClientOptions<R> = {}) =>
      new InteractionsClient<R>({ baseUrl: proxy.baseUrl, apiKey: TEST_API_KEY, dispatcher, ...o }),
    close: async () => {
      await dispatcher.destroy();
      await proxy.close();
      await fake?.close();
    },
  };
}

/** A create body for the target: the fake's transcript selector, or the configured model. */
export function modelFor(target: TestTarget, fixture?: string): string {
  return target.fake && fixture ? `fixture:${fixture}` : TEST_MODEL;
}

/** Which events of an SSE path count: `/interactions/{id}?stream=true…` requests. */
export const STREAM_GET = /\/interactions\/[^/?]+\?(.*&)?stream=true/;
export const CREATE = /\/interactions$/;
