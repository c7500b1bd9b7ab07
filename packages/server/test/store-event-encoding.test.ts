/** How a batch of events is stored (store/event-encoding.ts): compact, and read back exactly. */
import type { CanonicalEvent } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { endEvents, startEvents } from '../src/runtime/lifecycle-events.ts';
import { decodeEvents, encodeEvents } from '../src/store/event-encoding.ts';

/** Events as the log makes them: each with `event_id` `evt_<seq>`, starting at seq `first`. */
const logged = (events: object[], first: number): CanonicalEvent[] =>
  events.map((e, i) => ({ ...e, event_id: `evt_${first + i}` }) as CanonicalEvent);

/** A batch as the store is handed it (each event in a `NewEvent`). */
const encode = (events: CanonicalEvent[], first: number, row?: Parameters<typeof encodeEvents>[2]) =>
  encodeEvents(
    events.map((event) => ({ event })),
    first,
    row,
  );

const text = (index: number, t: string) => ({
  event_type: 'step.delta',
  index,
  delta: { type: 'text', text: t },
});

describe('event batch encoding', () => {
  const batch = logged(
    [
      { event_type: 'interaction.status_update', interaction_id: 'v1_x', status: 'in_progress' },
      { event_type: 'step.start', index: 0, step: { type: 'model_output', content: [] } },
      text(0, 'Hello '),
      text(0, 'there, '),
      text(0, '"quoted" ✓'),
      // Not plain: a thought, a text delta with more fields, another step's text.
      {
        event_type: 'step.delta',
        index: 1,
        delta: { type: 'thought_summary', content: { type: 'text', text: 'hm' } },
      },
      { event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'x', annotations: [] } },
      text(2, 'a'),
      text(0, 'back'),
      { event_type: 'step.stop', index: 0 },
    ],
    7,
  );

  it('reads back the same events, keys in the same order', () => {
    const decoded = decodeEvents(encode(batch, 7), 7);
    expect(decoded).toStrictEqual(batch);
    expect(decoded.map((e) => JSON.stringify(e))).toEqual(batch.map((e) => JSON.stringify(e)));
  });

  it('stores runs of text deltas as their texts, and no position ids', () => {
    const json = encode(batch, 7);
    expect(json).not.toContain('evt_');
    expect(JSON.parse(json)).toContainEqual({ texts: 0, t: ['Hello ', 'there, ', '"quoted" ✓'] });
    // A short answer, one delta per word: well under half the bytes of the events as they are.
    const words = logged(
      Array.from({ length: 40 }, (_, i) => text(0, `word${i} `)),
      3,
    );
    expect(encode(words, 3).length).toBeLessThan(JSON.stringify(words).length / 3);
  });

  it('keeps an event_id that is not the position, and reads old rows stored as plain arrays', () => {
    const odd = [{ ...text(0, 'a'), event_id: 'custom' } as CanonicalEvent];
    expect(decodeEvents(encode(odd, 1), 1)).toStrictEqual(odd);
    // Schema v9 turned each old row into a one-event array, ids included.
    expect(decodeEvents(JSON.stringify(batch), 7)).toStrictEqual(batch);
    // An event stored without an id gets its position.
    expect(decodeEvents('[{"event_type":"step.stop","index":0}]', 4)).toStrictEqual([
      { event_type: 'step.stop', index: 0, event_id: 'evt_4' },
    ]);
  });

  describe("a row's own batch", () => {
    const row = {
      id: 'v1_row',
      status: 'completed' as const,
      model: 'm-1',
      created: '2026-01-01T00:00:00Z',
      updated: '2026-01-01T00:00:02Z',
      usage: { total_input_tokens: 3, total_tokens: 5 },
    };
    const log = logged(
      [
        ...startEvents({ ...row, status: 'in_progress' }),
        { event_type: 'step.start', index: 0, step: { type: 'model_output', content: [] } },
        text(0, 'Hi'),
        { event_type: 'step.stop', index: 0 },
        ...endEvents(row),
      ],
      1,
    );

    it('keeps its lifecycle events as references to the row, and rebuilds them exactly', () => {
      const json = encode(log, 1, row);
      // Nothing of the row is repeated: not its id, times, model or usage.
      for (const value of [row.id, row.created, row.updated, row.model, 'total_input_tokens']) {
        expect(json).not.toContain(value);
      }
      expect(json.length).toBeLessThan(JSON.stringify(log).length / 3);
      const decoded = decodeEvents(json, 1, row);
      expect(decoded).toStrictEqual(log);
      expect(decoded.map((e) => JSON.stringify(e))).toEqual(log.map((e) => JSON.stringify(e)));
    });

    it('keeps a lifecycle event as it is when its rebuild would differ by a key, an order or a value', () => {
      const [created, started] = startEvents({ ...row, status: 'in_progress' });
      const interaction = (created as { interaction: Record<string, unknown> }).interaction;
      const { status, ...rest } = interaction;
      const [ended, completed] = endEvents(row);
      const usage = (ended as { usage: Record<string, unknown> }).usage;
      const odd = logged(
        [
          // The same keys, two of them swapped.
          { event_type: 'interaction.created', interaction: { status, ...rest } },
          // One key more than the rebuild has.
          { ...started, note: 'extra' },
          // A nested value (usage) that differs; then one key fewer than the rebuild has.
          { ...ended, usage: { ...usage, total_tokens: 6 } },
          { event_type: 'interaction.completed' },
        ],
        1,
      );
      expect(completed).toBeDefined();
      const json = encode(odd, 1, row);
      expect(json).not.toContain('"lifecycle"');
      expect(decodeEvents(json, 1, row).map((e) => JSON.stringify(e))).toEqual(
        odd.map((e) => JSON.stringify(e)),
      );
      // Each one made exact again is stored as a reference.
      const exact = logged([created, started, ended, completed] as object[], 1);
      expect(encode(exact, 1, row).match(/"lifecycle"/g)).toHaveLength(4);
    });

    it('reads rows written before references existed, and refuses a reference without its row', () => {
      expect(decodeEvents(encode(log, 1), 1, row)).toStrictEqual(log);
      expect(() => decodeEvents(encode(log, 1, row), 1)).toThrow(
        expect.objectContaining({ name: 'StoreError', code: 'schema' }),
      );
      expect(() => decodeEvents('[{"lifecycle":"later"}]', 1, row)).toThrow(
        expect.objectContaining({ code: 'schema' }),
      );
    });
  });
});
