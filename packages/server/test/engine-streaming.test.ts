/**
 * The engine streaming one answer (steps, indexes, deltas, annotations, what the provider is given) and
 * ending requires_action on client function calls.
 */
import type { Item } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine/engine.ts';
import { createServerToolRegistry } from '../src/tools/registry.ts';
import {
  calculator,
  codeCall,
  codeTools,
  deltas,
  fakeProvider,
  run,
  shape,
  text,
  userInput,
} from './helpers/engine-harness.ts';

describe('engine: streaming one answer', () => {
  it('streams text as one model_output step whose deltas concatenate to the text', async () => {
    const { provider } = fakeProvider(() => [text('Hello'), text(', '), text('world.')]);
    const { outcome, events } = await run(provider);
    expect(shape(events)).toEqual([
      'start 0 model_output',
      'delta 0 text',
      'delta 0 text',
      'delta 0 text',
      'stop 0',
    ]);
    expect(
      deltas(events, 0)
        .map((d) => (d.type === 'text' ? d.text : ''))
        .join(''),
    ).toBe('Hello, world.');
    expect(outcome).toEqual({
      status: 'completed',
      output: [{ type: 'model_output', content: [{ type: 'text', text: 'Hello, world.' }] }],
      usage: { total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 },
    });
  });

  it('gives each step its own index: thought 0, text 1, image in the same model_output, call 2', async () => {
    const { provider } = fakeProvider(() => [
      { type: 'thought', signature: 'sig', summary: [{ type: 'text', text: 'hmm' }] },
      text('Look: '),
      { type: 'media', content: { type: 'image', data: 'AAAA', mime_type: 'image/png' } },
      { type: 'item', item: { type: 'google_maps_result', call_id: 'x' } },
      text('after'),
    ]);
    const { outcome, events } = await run(provider);
    expect(shape(events)).toEqual([
      'start 0 thought',
      'delta 0 thought_signature',
      'stop 0',
      'start 1 model_output',
      'delta 1 text',
      'delta 1 image',
      'stop 1',
      'start 2 google_maps_result',
      'stop 2',
      'start 3 model_output',
      'delta 3 text',
      'stop 3',
    ]);
    expect(events[0]).toEqual({
      event_type: 'step.start',
      index: 0,
      step: { type: 'thought', summary: [{ type: 'text', text: 'hmm' }], signature: '' },
    });
    expect(outcome.output).toEqual([
      { type: 'thought', signature: 'sig', summary: [{ type: 'text', text: 'hmm' }] },
      {
        type: 'model_output',
        content: [
          { type: 'text', text: 'Look: ' },
          { type: 'image', data: 'AAAA', mime_type: 'image/png' },
        ],
      },
      { type: 'google_maps_result', call_id: 'x' },
      { type: 'model_output', content: [{ type: 'text', text: 'after' }] },
    ]);
  });

  it('streams annotations as text_annotation_delta and keeps them on the text', async () => {
    const citation = {
      type: 'url_citation' as const,
      url: 'https://a.example',
      start_index: 0,
      end_index: 4,
    };
    const { provider } = fakeProvider(() => [{ type: 'text', text: 'Fact', annotations: [citation] }]);
    const { outcome, events } = await run(provider);
    expect(deltas(events, 0)).toEqual([
      { type: 'text', text: 'Fact' },
      { type: 'text_annotation_delta', annotations: [citation] },
    ]);
    expect(outcome.output[0]).toEqual({
      type: 'model_output',
      content: [{ type: 'text', text: 'Fact', annotations: [citation] }],
    });
  });

  it('passes history, then input, then this turn’s items to the provider, loading history once', async () => {
    const earlier = [
      userInput('before'),
      { type: 'model_output', content: [{ type: 'text', text: 'ok' }] } as Item,
    ];
    const { provider, requests } = fakeProvider((n) => (n === 0 ? [codeCall('c1', '1+1')] : [text('done')]));
    const { historyLoads } = await run(provider, {
      history: earlier,
      tools: createServerToolRegistry([calculator()]),
      request: { tools: codeTools, system_instruction: 'be brief', generation_config: { temperature: 0 } },
    });
    expect(historyLoads).toBe(1);
    expect(requests[0]).toMatchObject({
      interactionId: 'int_1',
      model: 'test-model',
      system_instruction: 'be brief',
      generation_config: { temperature: 0 },
      tools: codeTools,
      items: [...earlier, userInput('hello')],
    });
    expect(requests[1]?.items.map((i) => i.type)).toEqual([
      'user_input',
      'model_output',
      'user_input',
      'code_execution_call',
      'code_execution_result',
    ]);
  });
  it('shares the history it was given without changing it, and never changes a request it already sent', async () => {
    // A frozen history (as the runtime's history cache hands out) would throw on any write.
    const history = Object.freeze([
      Object.freeze(userInput('before')),
      Object.freeze({ type: 'model_output', content: Object.freeze([{ type: 'text', text: 'ok' }]) }) as Item,
    ]);
    const seen: (readonly Item[])[] = [];
    const { provider } = fakeProvider((n, request) => {
      seen.push(request.items);
      return n === 0 ? [codeCall('c1', '1+1')] : [text('done')];
    });
    const engine = createEngine({ providers: [provider], tools: createServerToolRegistry([calculator()]) });
    const outcome = await engine.runTurn(
      {
        interactionId: 'int_1',
        request: { model: 'test-model', input: [userInput('hello')], tools: codeTools },
        history: async () => history,
        signal: new AbortController().signal,
      },
      { emit() {} },
    );
    expect(outcome.status).toBe('completed');
    expect(history).toHaveLength(2);
    // The first call's items are history + input, still so after the second call was made.
    expect(seen[0]?.map((i) => i.type)).toEqual(['user_input', 'model_output', 'user_input']);
    expect(seen[1]?.map((i) => i.type)).toEqual([
      'user_input',
      'model_output',
      'user_input',
      'code_execution_call',
      'code_execution_result',
    ]);
    expect(seen[1]?.[0]).toBe(history[0]); // shared, not copied item by item
  });
});

describe('engine: client function calls', () => {
  it('ends requires_action, streaming arguments as arguments_delta fragments that reassemble', async () => {
    const args = {
      location: 'Paris, France',
      days: [1, 2, 3],
      note: 'naïve — ünïcode 🌍 text that is long enough',
    };
    const { provider } = fakeProvider(() => [
      text('Checking.'),
      { type: 'item', item: { type: 'function_call', id: 'fc1', name: 'get_weather', arguments: args } },
    ]);
    const { outcome, events } = await run(provider, {
      request: { tools: [{ type: 'function', name: 'get_weather' }] },
    });
    expect(outcome.status).toBe('requires_action');
    expect(events.find((e) => e.event_type === 'step.start' && e.index === 1)).toEqual({
      event_type: 'step.start',
      index: 1,
      step: { type: 'function_call', id: 'fc1', name: 'get_weather', arguments: {} },
    });
    const fragments = deltas(events, 1).map((d) => (d.type === 'arguments_delta' ? d.arguments : undefined));
    expect(fragments.length).toBeGreaterThan(1);
    expect(JSON.parse(fragments.join(''))).toEqual(args);
    expect(outcome.output[1]).toEqual({
      type: 'function_call',
      id: 'fc1',
      name: 'get_weather',
      arguments: args,
    });
    expect(shape(events).at(-1)).toBe('stop 1');
  });

  it('gives a call without an id one', async () => {
    const { provider } = fakeProvider(() => [
      { type: 'item', item: { type: 'function_call', name: 'f', arguments: {} } as Item },
    ]);
    const { outcome } = await run(provider);
    expect(outcome.output[0]?.id).toMatch(/^call_[\w-]{12}$/);
  });
});
