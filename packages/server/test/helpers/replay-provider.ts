/**
 * The harness of the provider tests that go beyond the conformance kit (provider-anthropic.test.ts,
 * provider-gemini.test.ts): our server over loopback HTTP with one provider pointed at a fake upstream that
 * replays that provider's documented transcripts (conformance/providers/replay-upstream.ts), and what both
 * send alike — the weather tool, and a history another provider signed.
 */
import { afterAll, beforeAll } from 'vitest';
import {
  loadFixture,
  type ReplayUpstream,
  startReplayUpstream,
} from '../conformance/providers/replay-upstream.ts';
import { call, startServer, type TestServer } from './server.ts';

export interface ReplayProviderOptions {
  provider: 'anthropic' | 'gemini';
  /** The folder of the provider's fixtures. */
  fixtureDir: string;
  apiKey: string;
  /** The model every `create` asks for unless its body names one. */
  model: string;
  /** Provider options beyond the upstream URL, the key and a 1 ms retry backoff (which they may override). */
  providerOptions?: Record<string, unknown>;
}

/**
 * Starts the upstream and the server before the tests of the calling scope, closes them after. `Body` is the
 * shape of the provider's request body that the tests read back with `lastBody`.
 */
export function replayProvider<Body>(options: ReplayProviderOptions) {
  const ctx = {} as { upstream: ReplayUpstream; api: TestServer };
  beforeAll(async () => {
    ctx.upstream = await startReplayUpstream();
    ctx.api = await startServer({
      provider: options.provider,
      providerOptions: {
        baseUrl: ctx.upstream.url,
        apiKey: options.apiKey,
        retry: { baseDelayMs: 1 },
        ...options.providerOptions,
      },
      builtins: false,
      mcp: false,
    });
  });
  afterAll(async () => {
    await ctx.api?.close();
    await ctx.upstream?.close();
  });
  /** Makes the upstream replay the named fixture next. */
  const use = (name: string) => ctx.upstream.use(loadFixture(options.fixtureDir, name));
  const create = (body: Record<string, unknown>) =>
    call(`${ctx.api.url}/v1beta/interactions`, { body: { model: options.model, ...body } });
  /** The body of the latest request the upstream received. */
  const lastBody = () => ctx.upstream.requests.at(-1)!.body as Body & Record<string, unknown>;
  return { ctx, use, create, lastBody };
}

export const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Get the current weather in a given location',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

/** What another provider signed in a history, as its steps carry it. */
export interface ForeignTurn {
  /** The function call's signature. */
  signature: string;
  /** The thought step's signature (a provider may sign its thoughts under another prefix than its calls). */
  thoughtSignature: string;
  callId: string;
  /** The thought's summary: that provider's own words. */
  thought: string;
}

/**
 * A stateless weather conversation (user, thought, function call, its result) whose thought and call another
 * provider signed: the provider under test must send none of that provider's signatures or words upstream.
 */
export function historySignedElsewhere(turn: ForeignTurn) {
  return [
    { type: 'user_input', content: [{ type: 'text', text: 'Weather?' }] },
    {
      type: 'thought',
      signature: turn.thoughtSignature,
      summary: [{ type: 'text', text: turn.thought }],
    },
    {
      type: 'function_call',
      id: turn.callId,
      name: 'get_weather',
      arguments: { location: 'Paris' },
      signature: turn.signature,
    },
    { type: 'function_result', call_id: turn.callId, name: 'get_weather', result: 'Sunny' },
  ];
}
