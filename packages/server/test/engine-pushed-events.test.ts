/**
 * The engine taking a provider's events from a PushStream (how the `openai` provider and the scripted pacing
 * hand them over): each event becomes its step event inside the producer's `push`, a failure pushed by the
 * producer fails the turn, and an abort ends it cancelled at once even though the producer never ends.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../src/engine/contract.ts';
import type { Provider, ProviderEvent } from '../src/providers/provider.ts';
import { PushStream } from '../src/providers/shared/push-stream.ts';
import { run, shape, text } from './helpers/engine-harness.ts';

/** A provider whose every call returns a PushStream the test produces into. */
function pushingProvider(): { provider: Provider; stream: Promise<PushStream<ProviderEvent>> } {
  let handOver!: (s: PushStream<ProviderEvent>) => void;
  const stream = new Promise<PushStream<ProviderEvent>>((resolve) => {
    handOver = resolve;
  });
  const provider: Provider = {
    name: 'pushing',
    generate(_request, signal) {
      const events = new PushStream<ProviderEvent>(signal);
      handOver(events);
      return events;
    },
  };
  return { provider, stream };
}

describe('engine: a provider pushing its events', () => {
  it('each pushed event is a step event before push returns', async () => {
    const { provider, stream } = pushingProvider();
    const seen: EngineEvent[] = [];
    const turn = run(provider, { onEvent: (e) => seen.push(e) });
    const events = await stream;
    events.push(text('Hel'));
    expect(shape(seen)).toEqual(['start 0 model_output', 'delta 0 text']);
    events.push(text('lo'));
    expect(seen).toHaveLength(3);
    events.end();
    const { outcome } = await turn;
    expect(outcome.status).toBe('completed');
    expect(outcome.output).toEqual([{ type: 'model_output', content: [{ type: 'text', text: 'Hello' }] }]);
  });

  it("the producer's failure fails the turn, keeping what came before it", async () => {
    const { provider, stream } = pushingProvider();
    const turn = run(provider);
    const events = await stream;
    events.push(text('partial'));
    events.fail(Object.assign(new Error('the upstream went away'), { code: 'unavailable' }));
    const { outcome } = await turn;
    expect(outcome.status).toBe('failed');
    expect(outcome.output).toEqual([{ type: 'model_output', content: [{ type: 'text', text: 'partial' }] }]);
  });

  it('an abort ends the turn cancelled though the producer never ends, and stops the producer', async () => {
    const { provider, stream } = pushingProvider();
    const abort = new AbortController();
    const turn = run(provider, { signal: abort.signal });
    const events = await stream;
    let stopped = false;
    events.onStop(() => {
      stopped = true;
    });
    events.push(text('so far'));
    abort.abort();
    const { outcome } = await turn;
    expect(outcome.status).toBe('cancelled');
    expect(stopped).toBe(true);
    // What the producer pushes after the abort goes nowhere.
    events.push(text(' more'));
    expect(outcome.output).toEqual([{ type: 'model_output', content: [{ type: 'text', text: 'so far' }] }]);
  });
});
