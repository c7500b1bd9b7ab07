/**
 * Steps (canonical) streams converted to legacy ones: the reference transcript, a model_output that switches
 * content type, calls sent whole, user_input dropped, and the accumulated items kept through legacy and back.
 */
import { describe, expect, it } from 'vitest';
import { STEPS_MIXED, STEPS_STREAMS } from './fixtures/stream-cases.ts';
import { accumulate, mergeModelOutputs, toCanonical, toLegacy } from './support/convert-stream.ts';

describe('steps stream → legacy', () => {
  it('maps the reference transcript to thought + text blocks', () => {
    const transcript = STEPS_STREAMS.find((s) => s.name === 'reference.steps.stream.thinking-transcript')!;
    expect(toLegacy(transcript.events)).toEqual([
      {
        event_type: 'interaction.start',
        interaction: {
          id: 'v1_xxx',
          status: 'in_progress',
          object: 'interaction',
          model: 'gemini-3.6-flash',
        },
      },
      { event_type: 'content.start', index: 0, content: { type: 'thought' } },
      {
        event_type: 'content.delta',
        index: 0,
        delta: {
          type: 'thought_summary',
          content: { type: 'text', text: "**Evaluating the clues**\n\nI'm considering..." },
        },
      },
      {
        event_type: 'content.delta',
        index: 0,
        delta: { type: 'thought_signature', signature: 'EpoGCpcGAXLI2nx/...' },
      },
      { event_type: 'content.stop', index: 0 },
      { event_type: 'content.start', index: 1, content: { type: 'text' } },
      {
        event_type: 'content.delta',
        index: 1,
        delta: { type: 'text', text: 'Based on the clues provided, here' },
      },
      {
        event_type: 'content.delta',
        index: 1,
        delta: { type: 'text', text: ' is the answer to your question...' },
      },
      { event_type: 'content.stop', index: 1 },
      {
        event_type: 'interaction.complete',
        interaction: {
          id: 'v1_xxx',
          status: 'completed',
          usage: {
            total_tokens: 530,
            total_input_tokens: 62,
            total_output_tokens: 171,
            total_thought_tokens: 297,
          },
          role: 'model',
        },
      },
    ]);
  });

  it('opens a new block when a model_output switches content type, and sends calls whole', () => {
    const out = toLegacy(STEPS_MIXED);
    expect(out.slice(1, -1)).toEqual([
      { event_type: 'content.start', index: 0, content: { type: 'text' } },
      {
        event_type: 'content.delta',
        index: 0,
        delta: { type: 'text', text: 'Here is a cat:' },
        event_id: 's3',
      },
      { event_type: 'content.stop', index: 0 },
      { event_type: 'content.start', index: 1, content: { type: 'image' } },
      {
        event_type: 'content.delta',
        index: 1,
        delta: { type: 'image', data: 'AAAA', mime_type: 'image/png' },
        event_id: 's4',
      },
      { event_type: 'content.stop', index: 1 },
      { event_type: 'content.start', index: 2, content: { type: 'text' } },
      { event_type: 'content.delta', index: 2, delta: { type: 'text', text: 'Nice?' }, event_id: 's5' },
      { event_type: 'content.stop', index: 2, usage: { total_tokens: 3 }, event_id: 's6' },
      { event_type: 'content.start', index: 3, content: { type: 'function_call' } },
      {
        event_type: 'content.delta',
        index: 3,
        delta: { type: 'function_call', id: 'c9', name: 'rate', arguments: { score: 5 } },
      },
      { event_type: 'content.stop', index: 3, event_id: 's10' },
      { event_type: 'content.start', index: 4, content: { type: 'code_execution_call' } },
      {
        event_type: 'content.delta',
        index: 4,
        delta: { type: 'code_execution_call', id: 'x1', arguments: { language: 'python', code: 'print(1)' } },
        event_id: 's11',
      },
      { event_type: 'content.stop', index: 4, event_id: 's12' },
    ]);
  });

  for (const { name, events } of STEPS_STREAMS) {
    it(`keeps the accumulated items through legacy and back: ${name}`, () => {
      const direct = accumulate(events);
      expect(direct.items.length).toBeGreaterThan(0);
      const roundTrip = accumulate(toCanonical(toLegacy(events)));
      expect(mergeModelOutputs(roundTrip.items)).toEqual(mergeModelOutputs(direct.items));
      expect(roundTrip.interaction).toEqual(
        direct.interaction && { ...direct.interaction, output: roundTrip.items },
      );
      expect(roundTrip.error).toEqual(direct.error);
    });
  }

  it('drops user_input steps (input is never a legacy output block)', () => {
    expect(
      toLegacy([
        {
          event_type: 'step.start',
          index: 0,
          step: { type: 'user_input', content: [{ type: 'text', text: 'q' }] },
        },
        { event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'x' } },
        { event_type: 'step.stop', index: 0, event_id: 'u' },
      ]),
    ).toEqual([]);
  });
});
