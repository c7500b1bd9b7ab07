/**
 * The derived event log of an interaction stored without one (runtime/derived-log.ts): accumulating it gives
 * back exactly the stored output, whatever the steps; ids are 1…n; lifecycle events carry the final state.
 */
import { type Item, StreamAccumulator } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { derivedLog } from '../src/runtime/derived-log.ts';
import type { InteractionRecord } from '../src/store/store.ts';

const record = (output: Item[], extra: Partial<InteractionRecord> = {}): InteractionRecord => ({
  id: 'v1_derived',
  owner: null,
  status: 'completed',
  model: 'gemini-3-flash-preview',
  created: '2026-01-01T00:00:00Z',
  updated: '2026-01-01T00:00:07Z',
  request: { input: [{ type: 'user_input', content: [{ type: 'text', text: 'Hi' }] }] },
  output,
  usage: { total_input_tokens: 3, total_output_tokens: 9, total_tokens: 12 },
  background: false,
  expiresAt: Date.now() + 60_000,
  eventLog: 'derived',
  ...extra,
});

const EVERY_KIND: Item[] = [
  { type: 'thought', signature: 'c2ln', summary: [{ type: 'text', text: 'Thinking about it.' }] },
  {
    type: 'model_output',
    content: [
      {
        type: 'text',
        text: 'Paris is the capital.',
        annotations: [{ type: 'url_citation', url: 'https://example.com', start_index: 0, end_index: 5 }],
      },
      { type: 'image', data: 'iVBORw0KGgo=', mime_type: 'image/png' },
      { type: 'text', text: ' More text.' },
    ],
  },
  { type: 'function_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } },
  { type: 'code_execution_call', id: 'ce_1', arguments: { language: 'python', code: 'print(1)' } },
  { type: 'code_execution_result', call_id: 'ce_1', result: '1\n' },
  { type: 'google_search_call', id: 'gs_1', arguments: { queries: ['capital of France'] } },
  { type: 'model_output', content: [{ type: 'text', text: 'A second, separate answer.' }] },
];

function accumulate(events: ReturnType<typeof derivedLog>): StreamAccumulator {
  const acc = new StreamAccumulator();
  for (const { event } of events) acc.push(event);
  return acc;
}

describe('derived event log', () => {
  it('accumulates back to exactly the stored output, for every kind of step', () => {
    const r = record(EVERY_KIND);
    const log = derivedLog(r);
    expect(accumulate(log).items).toEqual(EVERY_KIND);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.map((e) => e.event.event_id)).toEqual(log.map((_, i) => `evt_${i + 1}`));
    // Deterministic: a second replay has the same events and ids.
    expect(derivedLog(r)).toEqual(log);
  });

  it('starts and ends like a live run: created in progress, then the final status, usage and time', () => {
    const log = derivedLog(record([{ type: 'model_output', content: [{ type: 'text', text: 'ok' }] }]));
    expect(log.map((e) => e.event.event_type)).toEqual([
      'interaction.created',
      'interaction.status_update',
      'step.start',
      'step.delta',
      'step.stop',
      'interaction.status_update',
      'interaction.completed',
    ]);
    expect(log[0]?.event).toMatchObject({
      interaction: { id: 'v1_derived', status: 'in_progress', updated: '2026-01-01T00:00:00Z' },
    });
    expect(log.at(-1)?.event).toMatchObject({
      interaction: {
        status: 'completed',
        updated: '2026-01-01T00:00:07Z',
        usage: { total_tokens: 12 },
        model: 'gemini-3-flash-preview',
      },
    });
  });

  it('a failed interaction replays its error before the final status', () => {
    const log = derivedLog(
      record([], { status: 'failed', error: { code: 'deadline_exceeded', message: 'Too slow.' } }),
    );
    const types = log.map((e) => e.event.event_type);
    expect(types.slice(-3)).toEqual(['error', 'interaction.status_update', 'interaction.completed']);
    expect(log.at(-3)?.event).toMatchObject({ error: { code: 'deadline_exceeded', message: 'Too slow.' } });
  });
});
