/**
 * The upstream providers hand their events over pushed (a PushStream the engine takes each event from inside
 * undici's body handler), not as an async iterator to pull: against the conformance kit's replay upstream
 * (wire transcripts from each provider's documentation, on loopback), `generate` gives a PushStream whose
 * events are the transcript's, an abort while the upstream holds the answer rejects the delivery and
 * closes the upstream connection, and a line that is not JSON fails the answer naming the provider.
 */
import path from 'node:path';
import type { Item } from '@interplay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../src/providers/anthropic/provider.ts';
import { createGeminiProvider } from '../src/providers/gemini/provider.ts';
import { createOpenAIProvider } from '../src/providers/openai/provider.ts';
import type { Provider, ProviderEvent, ProviderRequest } from '../src/providers/provider.ts';
import { PushStream } from '../src/providers/shared/push-stream.ts';
import {
  loadFixture,
  type ReplayUpstream,
  startReplayUpstream,
} from './conformance/providers/replay-upstream.ts';

const FIXTURES = path.join(import.meta.dirname, 'conformance/providers');

interface Subject {
  name: string;
  create(baseUrl: string): Provider & { close(): Promise<void> };
  /** The whole text of the provider's `text` fixture. */
  text: string;
}

const SUBJECTS: Subject[] = [
  {
    name: 'openai',
    create: (baseUrl) => createOpenAIProvider({ baseUrl, apiKey: 'sk-test', model: 'gpt-test' }),
    text: 'Hello! How can I help you today?',
  },
  {
    name: 'gemini',
    create: (baseUrl) => createGeminiProvider({ baseUrl, apiKey: 'gemini-test' }),
    text: 'Hello! How can I help you today?',
  },
  {
    name: 'anthropic',
    create: (baseUrl) => createAnthropicProvider({ baseUrl, apiKey: 'anthropic-test' }),
    text: 'Hello!',
  },
];

const user: Item = { type: 'user_input', content: [{ type: 'text', text: 'Hello!' }] };
const request: ProviderRequest = { interactionId: 'int_pushed', model: 'test-model', items: [user] };

describe.each(SUBJECTS)('provider $name: events pushed from the upstream body', (subject) => {
  let upstream: ReplayUpstream;
  let provider: Provider & { close(): Promise<void> };
  beforeAll(async () => {
    upstream = await startReplayUpstream();
    provider = subject.create(upstream.url);
  });
  afterAll(async () => {
    await provider?.close();
    await upstream?.close();
  });

  it('generate gives a PushStream delivering the transcript’s text in order', async () => {
    upstream.use(loadFixture(path.join(FIXTURES, subject.name, 'fixtures'), 'text'));
    const events = provider.generate(request, new AbortController().signal);
    expect(events).toBeInstanceOf(PushStream);
    const taken: ProviderEvent[] = [];
    await (events as PushStream<ProviderEvent>).deliverTo((e) => taken.push(e));
    const text = taken.map((e) => (e.type === 'text' ? e.text : '')).join('');
    expect(text).toBe(subject.text);
    expect(taken.filter((e) => e.type === 'text').length).toBeGreaterThan(1);
    expect(taken.some((e) => e.type === 'usage')).toBe(true);
  });

  it('an abort while the upstream holds the answer rejects the delivery and closes the connection', async () => {
    upstream.use(loadFixture(path.join(FIXTURES, subject.name, 'fixtures'), 'hold'));
    const first = upstream.requests.length;
    const abort = new AbortController();
    const events = provider.generate(request, abort.signal) as PushStream<ProviderEvent>;
    const taken: ProviderEvent[] = [];
    const delivered = events.deliverTo((e) => taken.push(e));
    const held = await upstream.request(first);
    await held.sent;
    abort.abort(new Error('cancelled by the test'));
    await expect(delivered).rejects.toThrow('cancelled by the test');
    await held.aborted;
    expect(events.open).toBe(false);
  });

  it('a stream line that is not JSON fails the answer with an upstream_error naming the provider', async () => {
    upstream.use({
      source: 'not a transcript: a cut-off line no provider documents, to check how one is refused',
      responses: [{ events: [{ data: '{"cut off' }] }],
    });
    const events = provider.generate(request, new AbortController().signal) as PushStream<ProviderEvent>;
    const delivered = events.deliverTo(() => undefined);
    await expect(delivered).rejects.toMatchObject({ code: 'upstream_error' });
    await expect(delivered).rejects.toThrow(
      `The model provider '${subject.name}' sent a stream line that is not`,
    );
  });
});
