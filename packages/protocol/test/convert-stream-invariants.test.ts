/**
 * What holds for every stream conversion, either way: converted streams are well-formed, function call
 * arguments split anywhere reassemble, event ids sit where a resume can skip exactly what a client saw,
 * and unknown events, status updates and errors pass through.
 */
import { describe, expect, it } from 'vitest';
import {
  type CanonicalEvent,
  CanonicalToLegacyEvents,
  type LegacyEvent,
  LegacyToCanonicalEvents,
} from '../src/index.ts';
import { LEGACY_RESEARCH, LEGACY_STREAMS, STEPS_STREAMS } from './fixtures/stream-cases.ts';
import { accumulate, toCanonical, toLegacy } from './support/convert-stream.ts';

/** Blocks/steps open in index order from 0; deltas and stops only for an open index. */
function expectWellFormed(
  events: readonly { event_type: string; index?: unknown }[],
  kind: 'content' | 'step',
) {
  const open = new Set<number>();
  let next = 0;
  for (const e of events) {
    const index = e.index as number;
    if (e.event_type === `${kind}.start`) {
      expect(index).toBe(next++);
      open.add(index);
    } else if (e.event_type === `${kind}.delta`) {
      expect(open.has(index)).toBe(true);
    } else if (e.event_type === `${kind}.stop`) {
      expect(open.delete(index)).toBe(true);
    }
  }
}

describe('converted streams are well-formed', () => {
  for (const { name, events } of LEGACY_STREAMS) {
    it(`legacy → canonical: ${name}`, () => expectWellFormed(toCanonical(events), 'step'));
  }
  for (const { name, events } of STEPS_STREAMS) {
    it(`canonical → legacy: ${name}`, () => expectWellFormed(toLegacy(events), 'content'));
  }
});

describe('function call arguments split at arbitrary points', () => {
  const args = { query: 'weather in “Zürich” 🌦', days: [1, 2, 3], nested: { deep: { ok: true, n: null } } };
  const json = JSON.stringify(args);
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let round = 0; round < 25; round++) {
    const cuts = [
      ...new Set(
        Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * json.length)),
      ),
    ].sort((a, b) => a - b);
    const fragments = [0, ...cuts].map((start, i) => json.slice(start, [...cuts, json.length][i]));
    it(`rebuilds the arguments from ${fragments.length} fragments (round ${round})`, () => {
      expect(fragments.join('')).toBe(json);
      const events: CanonicalEvent[] = [
        {
          event_type: 'step.start',
          index: 0,
          step: { type: 'function_call', id: 'c', name: 'f', arguments: {} },
        },
        ...fragments.map(
          (arguments_): CanonicalEvent => ({
            event_type: 'step.delta',
            index: 0,
            delta: { type: 'arguments_delta', arguments: arguments_ },
          }),
        ),
        { event_type: 'step.stop', index: 0 },
      ];
      expect(accumulate(events).items).toEqual([
        { type: 'function_call', id: 'c', name: 'f', arguments: args },
      ]);
      const legacy = toLegacy(events);
      expect(legacy[1]).toEqual({
        event_type: 'content.delta',
        index: 0,
        delta: { type: 'function_call', id: 'c', name: 'f', arguments: args },
      });
    });
  }
});

describe('event_id placement', () => {
  it('puts the id on the last output and drops it when the input is buffered', () => {
    const converter = new CanonicalToLegacyEvents();
    expect(
      converter.push({
        event_type: 'step.start',
        index: 0,
        step: { type: 'model_output', content: [{ type: 'text', text: 'Hi' }] },
        event_id: 'a',
      }),
    ).toEqual([
      { event_type: 'content.start', index: 0, content: { type: 'text' } },
      { event_type: 'content.delta', index: 0, delta: { type: 'text', text: 'Hi' }, event_id: 'a' },
    ]);
    const call = { type: 'function_call' as const, id: 'c', name: 'f', arguments: {} };
    expect(converter.push({ event_type: 'step.start', index: 1, step: call, event_id: 'b' })).toEqual([]);
    expect(
      converter.push({
        event_type: 'step.delta',
        index: 1,
        delta: { type: 'arguments_delta', arguments: '{}' },
        event_id: 'c',
      }),
    ).toEqual([]);
    const stop = converter.push({ event_type: 'step.stop', index: 1, event_id: 'd' });
    expect(stop.map((e) => e.event_id)).toEqual([undefined, undefined, 'd']);
  });

  function checkResumable<I extends { event_id?: string }, O extends { event_id?: string }>(
    inputs: readonly I[],
    make: () => { push(e: I): O[] },
  ) {
    const converter = make();
    const perInput = inputs.map((e) => converter.push(e));
    const all = perInput.flat();
    for (const [i, input] of inputs.entries()) {
      const at = all.findIndex((o) => input.event_id !== undefined && o.event_id === input.event_id);
      if (at === -1) continue;
      // A client that saw the output carrying this id has seen everything derived from inputs up to it.
      expect(all.slice(0, at + 1)).toEqual(perInput.slice(0, i + 1).flat());
    }
    expect(new Set(all.flatMap((o) => (o.event_id === undefined ? [] : [o.event_id]))).size).toBe(
      all.filter((o) => o.event_id !== undefined).length,
    );
  }

  it('lets a resume skip exactly the outputs a client saw (legacy → canonical)', () => {
    for (const { events } of LEGACY_STREAMS) checkResumable(events, () => new LegacyToCanonicalEvents());
  });

  it('lets a resume skip exactly the outputs a client saw (canonical → legacy)', () => {
    for (const { events } of STEPS_STREAMS) checkResumable(events, () => new CanonicalToLegacyEvents());
    checkResumable(toCanonical(LEGACY_RESEARCH), () => new CanonicalToLegacyEvents());
  });
});

describe('pass-through', () => {
  it('passes unknown event types untouched both ways', () => {
    const odd = { event_type: 'interaction.heartbeat', n: 1, event_id: 'h' };
    expect(new LegacyToCanonicalEvents().push(odd as unknown as LegacyEvent)).toEqual([odd]);
    expect(new CanonicalToLegacyEvents().push(odd as unknown as CanonicalEvent)).toEqual([odd]);
  });

  it('passes status updates and errors one-to-one', () => {
    const status = {
      event_type: 'interaction.status_update',
      interaction_id: 'x',
      status: 'in_progress',
      event_id: '1',
    } as const;
    const error = {
      event_type: 'error',
      error: { code: 'not_found', message: 'gone' },
      event_id: '2',
    } as const;
    expect(new LegacyToCanonicalEvents().push(status)).toEqual([status]);
    expect(new CanonicalToLegacyEvents().push(error)).toEqual([error]);
  });
});
