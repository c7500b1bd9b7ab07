import { describe, expect, it } from 'vitest';
import { type CanonicalEvent, StreamAccumulator } from '../src/index.ts';

const run = (events: CanonicalEvent[]): StreamAccumulator => {
  const acc = new StreamAccumulator();
  for (const e of events) acc.push(e);
  return acc;
};

describe('StreamAccumulator', () => {
  it('concatenates text, appends annotations and fills media shells', () => {
    const acc = run([
      {
        event_type: 'step.start',
        index: 0,
        step: { type: 'model_output', content: [{ type: 'text', text: 'A' }] },
      },
      { event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'B' } },
      {
        event_type: 'step.delta',
        index: 0,
        delta: { type: 'text_annotation_delta', annotations: [{ type: 'url_citation', url: 'u1' }] },
      },
      {
        event_type: 'step.delta',
        index: 0,
        delta: { type: 'text_annotation_delta', annotations: [{ type: 'url_citation', url: 'u2' }] },
      },
      { event_type: 'step.delta', index: 0, delta: { type: 'audio', data: 'AA', mime_type: 'audio/wav' } },
      { event_type: 'step.delta', index: 0, delta: { type: 'audio', data: 'BB', mime_type: 'audio/wav' } },
      { event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'C' } },
      { event_type: 'step.stop', index: 0 },
      { event_type: 'step.start', index: 1, step: { type: 'model_output', content: [{ type: 'image' }] } },
      { event_type: 'step.delta', index: 1, delta: { type: 'image', data: 'IMG', mime_type: 'image/png' } },
      { event_type: 'step.stop', index: 1 },
    ]);
    expect(acc.items).toEqual([
      {
        type: 'model_output',
        content: [
          {
            type: 'text',
            text: 'AB',
            annotations: [
              { type: 'url_citation', url: 'u1' },
              { type: 'url_citation', url: 'u2' },
            ],
          },
          { type: 'audio', data: 'AA', mime_type: 'audio/wav' },
          { type: 'audio', data: 'BB', mime_type: 'audio/wav' },
          { type: 'text', text: 'C' },
        ],
      },
      { type: 'model_output', content: [{ type: 'image', data: 'IMG', mime_type: 'image/png' }] },
    ]);
  });

  it('applies thought summaries and signatures', () => {
    const acc = run([
      {
        event_type: 'step.start',
        index: 0,
        step: { type: 'thought', signature: '', summary: [{ type: 'text', text: 'a' }] },
      },
      {
        event_type: 'step.delta',
        index: 0,
        delta: { type: 'thought_summary', content: { type: 'text', text: 'b' } },
      },
      { event_type: 'step.delta', index: 0, delta: { type: 'thought_signature', signature: 'SIG' } },
      { event_type: 'step.stop', index: 0 },
    ]);
    expect(acc.items).toEqual([
      {
        type: 'thought',
        signature: 'SIG',
        summary: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ]);
  });

  it('joins argument fragments at stop and keeps malformed JSON visible', () => {
    const acc = run([
      {
        event_type: 'step.start',
        index: 0,
        step: { type: 'function_call', id: 'c', name: 'f', arguments: {} },
      },
      { event_type: 'step.delta', index: 0, delta: { type: 'arguments_delta', arguments: '{"a":' } },
      { event_type: 'step.delta', index: 0, delta: { type: 'arguments_delta', arguments: '1}' } },
      {
        event_type: 'step.start',
        index: 1,
        step: { type: 'function_call', id: 'd', name: 'g', arguments: {} },
      },
      { event_type: 'step.delta', index: 1, delta: { type: 'arguments_delta', arguments: '{"a":' } },
    ]);
    expect(acc.items[0]).toMatchObject({ arguments: {} });
    acc.push({ event_type: 'step.stop', index: 0 });
    acc.push({ event_type: 'step.stop', index: 1 });
    expect(acc.items).toEqual([
      { type: 'function_call', id: 'c', name: 'f', arguments: { a: 1 } },
      { type: 'function_call', id: 'd', name: 'g', arguments: '{"a":' },
    ]);
  });

  it('merges tool step deltas and orders items by index', () => {
    const acc = run([
      { event_type: 'step.start', index: 1, step: { type: 'function_result', call_id: 'c', result: '' } },
      {
        event_type: 'step.start',
        index: 0,
        step: { type: 'google_search_result', call_id: 's', result: [] },
      },
      {
        event_type: 'step.delta',
        index: 1,
        delta: { type: 'function_result', result: 'ok', is_error: false },
      },
      {
        event_type: 'step.delta',
        index: 0,
        delta: { type: 'google_search_result', result: [{ search_suggestions: 'x' }] },
      },
      { event_type: 'step.delta', index: 7, delta: { type: 'text', text: 'orphan' } },
    ]);
    expect(acc.items).toEqual([
      { type: 'google_search_result', call_id: 's', result: [{ search_suggestions: 'x' }] },
      { type: 'function_result', call_id: 'c', result: 'ok', is_error: false },
      // A delta whose step.start was never seen (joined mid-way) still counts.
      { type: 'model_output', content: [{ type: 'text', text: 'orphan' }] },
    ]);
  });

  it('does not change the events it was given', () => {
    const step = { type: 'model_output' as const, content: [{ type: 'text' as const, text: 'a' }] };
    const acc = run([
      { event_type: 'step.start', index: 0, step },
      { event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'b' } },
    ]);
    expect(step.content[0]?.text).toBe('a');
    expect(acc.items[0]).toEqual({ type: 'model_output', content: [{ type: 'text', text: 'ab' }] });
  });

  it('tracks the interaction, the last event id and errors', () => {
    const acc = new StreamAccumulator();
    expect(acc.interaction).toBeUndefined();
    acc.push({
      event_type: 'interaction.created',
      interaction: { id: 'v1', status: 'in_progress', model: 'm', object: 'interaction' },
      event_id: '1',
    });
    acc.push({
      event_type: 'interaction.status_update',
      interaction_id: 'v1',
      status: 'in_progress',
      usage: { total_tokens: 1 },
    });
    acc.push({
      event_type: 'step.start',
      index: 0,
      step: { type: 'model_output', content: [{ type: 'text', text: 'x' }] },
    });
    acc.push({ event_type: 'error', error: { code: 'api_error', message: 'hm' }, event_id: '3' });
    expect(acc.error).toEqual({ code: 'api_error', message: 'hm' });
    acc.push({
      event_type: 'interaction.completed',
      interaction: { id: 'v1', status: 'completed', usage: { total_tokens: 9 }, steps: [] },
      event_id: '4',
    });
    expect(acc.lastEventId).toBe('4');
    expect(acc.interaction).toEqual({
      id: 'v1',
      status: 'completed',
      model: 'm',
      usage: { total_tokens: 9 },
      output: [{ type: 'model_output', content: [{ type: 'text', text: 'x' }] }],
    });
  });

  it('takes the output from a completed payload that carries steps when none were streamed', () => {
    const acc = run([
      {
        event_type: 'interaction.completed',
        interaction: {
          id: 'v1',
          status: 'completed',
          steps: [
            { type: 'user_input', content: [{ type: 'text', text: 'q' }] },
            { type: 'model_output', content: [{ type: 'text', text: 'a' }] },
          ],
        },
      },
    ]);
    expect(acc.items).toEqual([{ type: 'model_output', content: [{ type: 'text', text: 'a' }] }]);
  });
});
