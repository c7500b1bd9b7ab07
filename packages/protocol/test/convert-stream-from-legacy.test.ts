/**
 * Legacy streams converted to canonical ones: the round trip back to legacy gives the same events
 * (docs/protocol/round-trip.md), the accumulated items match the final outputs a legacy client rebuilds,
 * and the converted events have the expected shapes.
 */
import { describe, expect, it } from 'vitest';
import { type Content, type LegacyEvent, legacyContentsToItems } from '../src/index.ts';
import {
  LEGACY_FUNCTION_CALL,
  LEGACY_FUNCTION_CALL_OUTPUTS,
  LEGACY_RESEARCH,
  LEGACY_STREAMS,
} from './fixtures/stream-cases.ts';
import { accumulate, mergeModelOutputs, toCanonical, toLegacy } from './support/convert-stream.ts';

// ---- helpers -------------------------------------------------------------------------------------

const CALL_OR_RESULT = (type: string) =>
  !['text', 'image', 'audio', 'document', 'video', 'thought'].includes(type);

/**
 * What legacy → canonical → legacy must give back (docs/protocol/round-trip.md): the same events, except
 * that a call/result block's content.start loses its event_id (buffered until the data arrives), and so does
 * a function_call's content.delta (buffered until step.stop on the way back).
 */
function expectedLegacyRoundTrip(events: readonly LegacyEvent[]): LegacyEvent[] {
  const blockTypes = new Map<number, string>();
  return events.map((e) => {
    if (e.event_type === 'content.start') blockTypes.set(e.index, e.content.type);
    const type = 'index' in e && typeof e.index === 'number' ? blockTypes.get(e.index) : undefined;
    const buffered =
      type !== undefined &&
      ((e.event_type === 'content.start' && CALL_OR_RESULT(type)) ||
        (e.event_type === 'content.delta' && type === 'function_call'));
    if (!buffered) return e;
    const { event_id: _dropped, ...rest } = e;
    return rest as LegacyEvent;
  });
}

/** A legacy client's view of the final outputs (blocks in index order). */
function legacyOutputs(events: readonly LegacyEvent[]): Content[] {
  const blocks = new Map<number, Record<string, unknown>>();
  for (const e of events) {
    if (e.event_type === 'content.start') blocks.set(e.index, { ...e.content });
    if (e.event_type !== 'content.delta') continue;
    const block = blocks.get(e.index)!;
    const d = e.delta as Record<string, unknown>;
    if (d.type === 'text') block.text = ((block.text as string | undefined) ?? '') + d.text;
    else if (d.type === 'thought_summary')
      block.summary = [...((block.summary as unknown[]) ?? []), d.content];
    else if (d.type === 'thought_signature') block.signature = d.signature;
    else if (d.type === 'text_annotation')
      block.annotations = [...((block.annotations as unknown[]) ?? []), ...(d.annotations as unknown[])];
    else Object.assign(block, d);
  }
  return [...blocks.entries()].sort(([a], [b]) => a - b).map(([, c]) => c as Content);
}

// ---- tests ---------------------------------------------------------------------------------------

describe('legacy stream → canonical → legacy', () => {
  for (const { name, events } of LEGACY_STREAMS) {
    it(`gives the same events: ${name}`, () => {
      expect(toLegacy(toCanonical(events))).toEqual(expectedLegacyRoundTrip(events));
    });
  }
});

describe('accumulating converted legacy streams', () => {
  for (const { name, events, outputs } of LEGACY_STREAMS) {
    it(`gives the items of the final outputs: ${name}`, () => {
      // Hand-written outputs where the case has them; else what a legacy client rebuilds.
      if (outputs !== undefined) expect(legacyOutputs(events)).toEqual(outputs);
      const final = outputs ?? legacyOutputs(events);
      expect(mergeModelOutputs(accumulate(toCanonical(events)).items)).toEqual(legacyContentsToItems(final));
    });
  }

  it('rebuilds the interaction from interaction.* events', () => {
    const acc = accumulate(toCanonical(LEGACY_FUNCTION_CALL));
    expect(acc.interaction).toMatchObject({
      id: 'v1_f',
      model: 'm',
      status: 'requires_action',
      usage: { total_tokens: 5 },
    });
    expect(acc.interaction?.output).toEqual(legacyContentsToItems(LEGACY_FUNCTION_CALL_OUTPUTS));
    expect(acc.lastEventId).toBe('f9');
  });
});

describe('legacy → canonical event shapes', () => {
  it('turns a function call block into step.start + arguments_delta + step.stop', () => {
    expect(toCanonical(LEGACY_FUNCTION_CALL.slice(4, 7))).toEqual([
      {
        event_type: 'step.start',
        index: 0,
        step: { type: 'function_call', id: 'c1', name: 'get_weather', arguments: {} },
      },
      {
        event_type: 'step.delta',
        index: 0,
        delta: { type: 'arguments_delta', arguments: '{"location":"Boston, MA","days":[1,2]}' },
        event_id: 'f6',
      },
      { event_type: 'step.stop', index: 0, event_id: 'f7' },
    ]);
  });

  it('maps lifecycle events and renumbers indexes over steps', () => {
    const out = toCanonical(LEGACY_RESEARCH);
    expect(out[0]).toEqual({
      event_type: 'interaction.created',
      interaction: { id: 'v1_r', agent: 'deep-research', status: 'in_progress' },
    });
    expect(out.at(-1)).toEqual({
      event_type: 'interaction.completed',
      interaction: { id: 'v1_r', agent: 'deep-research', status: 'completed' },
      event_id: 'r19',
    });
    expect(
      out.filter((e) => e.event_type === 'step.start').map((e) => (e as { index: number }).index),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(out).toContainEqual({
      event_type: 'step.delta',
      index: 3,
      delta: {
        type: 'text_annotation_delta',
        annotations: [{ type: 'url_citation', url: 'https://c', start_index: 0 }],
      },
      event_id: 'r14',
    });
    expect(out).toContainEqual({
      event_type: 'step.start',
      index: 1,
      step: { type: 'google_search_call', id: 's1', arguments: { queries: ['cats'] } },
      event_id: 'r6',
    });
    expect(out).toContainEqual({ event_type: 'error', error: {} });
    expect(out).toContainEqual({ event_type: 'interaction.heartbeat', beat: 1 });
  });

  it('starts a text block as a model_output with an empty text', () => {
    expect(toCanonical([{ event_type: 'content.start', index: 5, content: { type: 'text' } }])).toEqual([
      {
        event_type: 'step.start',
        index: 0,
        step: { type: 'model_output', content: [{ type: 'text', text: '' }] },
      },
    ]);
  });
});
