/**
 * The provider conformance kit: one suite of behaviors every model provider must show through our server —
 * text, streaming, a tool round trip, parallel calls, thoughts, structured output, each upstream failure
 * (credentials refused, rate limits with and without a usable Retry-After, 5xx, a reset before the first byte,
 * a stall, a cut answer) and cancel / client hang-up mid-stream (the upstream connection must close).
 *
 * A provider plugs in with a {@link ProviderSubject}: its fixtures (wire transcripts from its own published
 * documentation, replayed by replay-upstream.ts), what those transcripts say (the expected text, calls, …),
 * how to point the server at the fake upstream, and how to read its own request bodies. Everything between —
 * HTTP, the runtime, the engine, SSE — is the real server on loopback.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionsServerOptions } from '../../../src/config.ts';
import { call, events, startServer, type TestServer } from '../../helpers/server.ts';
import { type Fixture, loadFixture, type ReplayUpstream, startReplayUpstream } from './replay-upstream.ts';

/** Settings the kit needs the provider to run with, so each behavior is quick and decisive. */
export const KIT_SETTINGS = {
  /** Attempts per upstream call. */
  maxAttempts: 3,
  /** Backoff between attempts (no Retry-After): tiny, so 5xx retries are quick. */
  baseDelayMs: 1,
  /** A Retry-After longer than this is not waited (the `rate-limit-long` fixture asks for 20 s). */
  maxRetryAfterMs: 1_000,
  /** Silence that counts as a stall. */
  stallMs: 400,
} as const;

export type Behavior =
  | 'text'
  | 'toolCall'
  | 'parallelCalls'
  | 'thoughts'
  | 'structured'
  | 'length'
  | 'unauthorized'
  | 'forbidden'
  | 'rateLimitThenOk'
  | 'rateLimitLong'
  | 'rateLimit'
  | 'serverErrorThenOk'
  | 'overloaded'
  | 'resetThenOk'
  | 'stall'
  | 'hold';

/**
 * The fixture file per behavior, named alike for every provider (the behavior in kebab case); only the
 * thought transcript is named after the provider's own word for it (`thinking`, `reasoning`, `thoughts`).
 */
export function kitFixtures(thoughts: string): Record<Behavior, string> {
  return {
    text: 'text',
    toolCall: 'tool-call',
    parallelCalls: 'parallel-calls',
    thoughts,
    structured: 'structured',
    length: 'length',
    unauthorized: 'error-401',
    forbidden: 'error-403',
    rateLimitThenOk: 'rate-limit-then-ok',
    rateLimitLong: 'rate-limit-long',
    rateLimit: 'rate-limit',
    serverErrorThenOk: 'server-error-then-ok',
    overloaded: 'overloaded',
    resetThenOk: 'reset-then-ok',
    stall: 'stall',
    hold: 'hold',
  };
}

/** Server options with `provider` pointed at the fake upstream, run with {@link KIT_SETTINGS}, no built-ins. */
export function kitServerOptions(
  provider: string,
  upstreamUrl: string,
  apiKey: string,
): InteractionsServerOptions {
  return {
    provider,
    providerOptions: {
      baseUrl: upstreamUrl,
      apiKey,
      stallMs: KIT_SETTINGS.stallMs,
      retry: {
        maxAttempts: KIT_SETTINGS.maxAttempts,
        baseDelayMs: KIT_SETTINGS.baseDelayMs,
        maxRetryAfterMs: KIT_SETTINGS.maxRetryAfterMs,
      },
    },
    builtins: false,
    mcp: false,
  };
}

export interface ExpectedCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface ProviderSubject {
  /** The provider's registry name, e.g. `openai`. */
  name: string;
  fixtureDir: string;
  /** Fixture file (without `.json`) per behavior. */
  fixtures: Record<Behavior, string>;
  /** Further fixtures of this provider's own (e.g. Ollama's whole calls): name → the calls it holds. */
  extraCallFixtures?: Record<string, ExpectedCall[]>;
  /** Further fixtures with a thought (e.g. another reasoning field): name → the thought text. */
  extraThoughtFixtures?: Record<string, string>;
  /** What the fixtures say. */
  expected: {
    /** The whole answer text of the `text` fixture (also the `*ThenOk` ones). */
    text: string;
    /** `usage.total_tokens` the `text` fixture reports. */
    textTotalTokens: number;
    toolCall: ExpectedCall;
    /** The answer of the `toolCall` fixture's second response (after the function result). */
    toolAnswer: string;
    parallelCalls: ExpectedCall[];
    thought: string;
    thoughtAnswer: string;
    structured: Record<string, unknown>;
    /** The argument fragments of `toolCall`, as the upstream streamed them (→ `arguments_delta` events). */
    toolCallFragments?: string[];
  };
  /** Server options with the provider pointed at `upstreamUrl` and run with {@link KIT_SETTINGS}. */
  serverOptions(upstreamUrl: string): InteractionsServerOptions;
  /** From an upstream request body: the function results it carries (call id and the text the model reads). */
  toolResultsIn(body: Record<string, unknown>): { callId: string; text: string }[];
  /** From an upstream request body: the JSON schema it asks the answer to follow. */
  schemaIn(body: Record<string, unknown>): unknown;
  /** Secrets the subject configured (API key values) that must never reach a client. */
  secrets: string[];
}

const MODEL = 'gemini-3-flash-preview';

export function providerConformance(subject: ProviderSubject): void {
  describe(`provider conformance: ${subject.name}`, () => {
    let upstream: ReplayUpstream;
    let api: TestServer;
    let fixtures: Record<string, Fixture>;
    beforeAll(async () => {
      upstream = await startReplayUpstream();
      api = await startServer(subject.serverOptions(upstream.url));
      fixtures = {};
    });
    afterAll(async () => {
      await api?.close();
      await upstream?.close();
    });
    /** Installs a fixture and remembers where its requests start in `upstream.requests`. */
    let first = 0;
    const use = (name: string) => {
      fixtures[name] ??= loadFixture(subject.fixtureDir, name);
      upstream.use(fixtures[name]);
      first = upstream.requests.length;
    };
    beforeEach(() => {
      first = upstream?.requests.length ?? 0;
    });
    const create = (body: Record<string, unknown>) =>
      call(`${api.url}/v1beta/interactions`, { body: { model: MODEL, ...body } });
    const textOf = (steps: { type: string; content?: { type: string; text?: string }[] }[]) =>
      steps
        .filter((s) => s.type === 'model_output')
        .flatMap((s) => s.content ?? [])
        .map((c) => c.text ?? '')
        .join('');
    const expectNoSecret = (text: string) => {
      for (const secret of subject.secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/sk-[\w*]{6,}/);
    };

    it('text: a completed model_output with the upstream text and usage', async () => {
      use(subject.fixtures.text);
      const reply = await create({ input: 'Hello!' });
      expect(reply.status).toBe(200);
      expect(reply.json.status).toBe('completed');
      expect(reply.json.steps.map((s: { type: string }) => s.type)).toEqual(['model_output']);
      expect(textOf(reply.json.steps)).toBe(subject.expected.text);
      expect(reply.json.usage.total_tokens).toBe(subject.expected.textTotalTokens);
    });

    it('stream: step.start, text deltas in upstream order, step.stop, interaction.completed', async () => {
      use(subject.fixtures.text);
      const reply = await create({ input: 'Hello!', stream: true });
      expect(reply.status).toBe(200);
      const evs = events(reply.text);
      const types = evs.map((e) => e.event_type);
      expect(types[0]).toBe('interaction.created');
      expect(types.at(-1)).toBe('interaction.completed');
      const text = evs
        .filter((e) => e.event_type === 'step.delta' && e.delta.type === 'text')
        .map((e) => e.delta.text)
        .join('');
      expect(text).toBe(subject.expected.text);
      expect(evs.filter((e) => e.event_type === 'step.delta').length).toBeGreaterThan(1);
    });

    it('tool round trip: requires_action with the call, then the result reaches the upstream', async () => {
      use(subject.fixtures.toolCall);
      const weather = {
        type: 'function',
        name: subject.expected.toolCall.name,
        description: 'Get the current weather in a given location',
        parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
      };
      const reply = await create({
        input: "What's the weather like in Paris today?",
        tools: [weather],
        stream: true,
      });
      const evs = events(reply.text);
      const done = evs.at(-1);
      expect(done.event_type).toBe('interaction.completed');
      expect(done.interaction.status).toBe('requires_action');
      const start = evs.find((e) => e.event_type === 'step.start' && e.step.type === 'function_call');
      expect(start.step).toMatchObject({ name: subject.expected.toolCall.name, arguments: {} });
      const fragments = evs
        .filter((e) => e.event_type === 'step.delta' && e.delta.type === 'arguments_delta')
        .map((e) => e.delta.arguments as string);
      expect(JSON.parse(fragments.join(''))).toEqual(subject.expected.toolCall.arguments);
      if (subject.expected.toolCallFragments) expect(fragments).toEqual(subject.expected.toolCallFragments);

      const got = await call(`${api.url}/v1beta/interactions/${done.interaction.id}`);
      const fc = got.json.steps.find((s: { type: string }) => s.type === 'function_call');
      expect(fc.arguments).toEqual(subject.expected.toolCall.arguments);
      const next = await create({
        previous_interaction_id: done.interaction.id,
        input: [{ type: 'function_result', call_id: fc.id, name: fc.name, result: 'Sunny, 21 °C' }],
        tools: [weather],
      });
      expect(next.json.status).toBe('completed');
      expect(textOf(next.json.steps)).toBe(subject.expected.toolAnswer);
      const sent = upstream.requests[first + 1]!.body;
      expect(subject.toolResultsIn(sent)).toEqual([{ callId: fc.id, text: 'Sunny, 21 °C' }]);
    });

    it('parallel calls: one function_call step per call, in order', async () => {
      use(subject.fixtures.parallelCalls);
      const reply = await create({ input: 'Weather in Paris and Bogotá?', tools: [fn('get_weather')] });
      expect(reply.json.status).toBe('requires_action');
      const calls = reply.json.steps.filter((s: { type: string }) => s.type === 'function_call');
      expect(calls.map((c: ExpectedCall) => ({ name: c.name, arguments: c.arguments }))).toEqual(
        subject.expected.parallelCalls,
      );
      expect(new Set(calls.map((c: { id: string }) => c.id)).size).toBe(calls.length);
    });

    for (const [name, expectedCalls] of Object.entries(subject.extraCallFixtures ?? {})) {
      it(`calls as ${name} sends them`, async () => {
        use(name);
        const reply = await create({
          input: 'Weather in Paris and Bogotá?',
          tools: [fn('get_weather')],
          stream: true,
        });
        const evs = events(reply.text);
        expect(evs.at(-1).interaction.status).toBe('requires_action');
        const got = await call(`${api.url}/v1beta/interactions/${evs.at(-1).interaction.id}`);
        const calls = got.json.steps.filter((s: { type: string }) => s.type === 'function_call');
        expect(calls.map((c: ExpectedCall) => ({ name: c.name, arguments: c.arguments }))).toEqual(
          expectedCalls,
        );
      });
    }

    const thoughtCases = {
      [subject.fixtures.thoughts]: subject.expected.thought,
      ...subject.extraThoughtFixtures,
    };
    for (const [name, thought] of Object.entries(thoughtCases)) {
      it(`thoughts (${name}): a thought step with the reasoning, then the answer`, async () => {
        use(name);
        const reply = await create({ input: '9.11 and 9.8, which is greater?' });
        expect(reply.json.status).toBe('completed');
        expect(reply.json.steps.map((s: { type: string }) => s.type)).toEqual(['thought', 'model_output']);
        expect(reply.json.steps[0].summary).toEqual([{ type: 'text', text: thought }]);
        expect(textOf(reply.json.steps)).toBe(subject.expected.thoughtAnswer);
      });
    }

    it('structured output: the schema goes upstream, the JSON answer comes back', async () => {
      use(subject.fixtures.structured);
      const schema = {
        type: 'object',
        properties: { winning_team: { type: 'string' }, score: { type: 'string' } },
        required: ['winning_team', 'score'],
      };
      const reply = await create({
        input: 'Who won the last euro?',
        response_format: { type: 'text', mime_type: 'application/json', schema },
      });
      expect(reply.json.status).toBe('completed');
      expect(JSON.parse(textOf(reply.json.steps))).toEqual(subject.expected.structured);
      // As sent (an upstream may require more of it, e.g. Claude's closed objects, but never less).
      expect(subject.schemaIn(upstream.requests[first]!.body)).toMatchObject(schema);
    });

    it('a cut answer (output-token limit) ends incomplete', async () => {
      use(subject.fixtures.length);
      const reply = await create({ input: 'Tell me a story', generation_config: { max_output_tokens: 4 } });
      expect(reply.json.status).toBe('incomplete');
    });

    for (const [behavior, status] of [
      ['unauthorized', 401],
      ['forbidden', 403],
    ] as const) {
      it(`upstream ${status}: failed with upstream_error (502), naming no key`, async () => {
        use(subject.fixtures[behavior]);
        const reply = await create({ input: 'Hello!' });
        expect(reply.status).toBe(502);
        expect(reply.json.error.code).toBe('upstream_error');
        expect(reply.json.error.message).toContain(String(status));
        expectNoSecret(reply.text);
        expect(upstream.requests.length - first).toBe(1); // credentials are not retried
      });
    }

    it('upstream 429 with a short Retry-After: retried, then completed', async () => {
      use(subject.fixtures.rateLimitThenOk);
      const reply = await create({ input: 'Hello!' });
      expect(reply.json.status).toBe('completed');
      expect(textOf(reply.json.steps)).toBe(subject.expected.text);
      expect(upstream.requests.length - first).toBe(2);
    });

    it('upstream 429 asking for a longer wait than allowed: resource_exhausted at once', async () => {
      use(subject.fixtures.rateLimitLong);
      const reply = await create({ input: 'Hello!' });
      expect(reply.status).toBe(429);
      expect(reply.json.error.code).toBe('resource_exhausted');
      expect(upstream.requests.length - first).toBe(1);
    });

    it('upstream 429 on every attempt: resource_exhausted after the retries', async () => {
      use(subject.fixtures.rateLimit);
      const reply = await create({ input: 'Hello!' });
      expect(reply.status).toBe(429);
      expect(reply.json.error.code).toBe('resource_exhausted');
      expect(upstream.requests.length - first).toBe(KIT_SETTINGS.maxAttempts);
    });

    it('upstream 500 once: retried with backoff, then completed', async () => {
      use(subject.fixtures.serverErrorThenOk);
      const reply = await create({ input: 'Hello!' });
      expect(reply.json.status).toBe('completed');
      expect(upstream.requests.length - first).toBe(2);
    });

    it('upstream 503 on every attempt: service_unavailable after the retries', async () => {
      use(subject.fixtures.overloaded);
      const reply = await create({ input: 'Hello!' });
      expect(reply.status).toBe(503);
      expect(reply.json.error.code).toBe('service_unavailable');
      expect(upstream.requests.length - first).toBe(KIT_SETTINGS.maxAttempts);
    });

    it('a connection reset before the first byte: retried, then completed', async () => {
      use(subject.fixtures.resetThenOk);
      const reply = await create({ input: 'Hello!' });
      expect(reply.json.status).toBe('completed');
      expect(textOf(reply.json.steps)).toBe(subject.expected.text);
    });

    it('a stalled upstream: deadline_exceeded, the text so far kept', async () => {
      use(subject.fixtures.stall);
      const reply = await create({ input: 'Hello!', stream: true });
      const evs = events(reply.text);
      const error = evs.find((e) => e.event_type === 'error');
      expect(error.error.code).toBe('deadline_exceeded');
      expect(evs.at(-1).interaction.status).toBe('failed');
      const text = evs
        .filter((e) => e.event_type === 'step.delta' && e.delta.type === 'text')
        .map((e) => e.delta.text)
        .join('');
      expect(text.length).toBeGreaterThan(0);
      const request = upstream.requests[first]!;
      await request.aborted; // the stalled connection is closed, not left open
    });

    it('cancel mid-stream: the interaction is cancelled and the upstream connection closes', async () => {
      use(subject.fixtures.hold);
      const created = await create({ input: 'Write a long story', background: true });
      expect(created.json.status).toBe('in_progress');
      const request = await upstream.request(first);
      await request.sent;
      const cancelled = await call(`${api.url}/v1beta/interactions/${created.json.id}/cancel`, {
        method: 'POST',
      });
      expect(cancelled.json.status).toBe('cancelled');
      await request.aborted;
    });

    it('delete mid-stream: the interaction is gone and the upstream connection closes', async () => {
      use(subject.fixtures.hold);
      const created = await create({ input: 'Write a long story', background: true });
      const request = await upstream.request(first);
      await request.sent;
      const deleted = await call(`${api.url}/v1beta/interactions/${created.json.id}`, { method: 'DELETE' });
      expect(deleted.status).toBe(200);
      await request.aborted;
      expect((await call(`${api.url}/v1beta/interactions/${created.json.id}`)).status).toBe(404);
    });

    it('a streaming client hanging up mid-stream: the upstream connection closes', async () => {
      use(subject.fixtures.hold);
      const controller = new AbortController();
      const response = await fetch(`${api.url}/v1beta/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL, input: 'Write a long story', stream: true }),
        signal: controller.signal,
      });
      const request = await upstream.request(first);
      await request.sent;
      const reader = response.body!.getReader();
      await reader.read(); // the stream is flowing
      controller.abort();
      await request.aborted;
    });
  });
}

function fn(name: string) {
  return {
    type: 'function',
    name,
    parameters: { type: 'object', properties: { location: { type: 'string' } } },
  };
}
