/** The store contract for event logs (store/store.ts), on every store: appends, reads, seqs, deletes. */
import type { CanonicalEvent } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../src/store/store.ts';
import { runningRecord } from './helpers/records.ts';
import { storeKinds } from './helpers/store-kinds.ts';

const record = runningRecord;

const delta = (text: string): CanonicalEvent => ({
  event_type: 'step.delta',
  index: 0,
  delta: { type: 'text', text },
});

/** `count` deltas whose texts name the batch (`prefix`) and the seq meant for each. */
const batch = (prefix: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ event: delta(`${prefix}${from + i} ✓`) }));

/** Which writes a log holds: each delta's text (see `batch`), else the event type. */
const written = (events: readonly StoredEvent[]): string[] =>
  events.map((e) =>
    e.event.event_type === 'step.delta'
      ? String((e.event.delta as { text?: string }).text)
      : e.event.event_type,
  );

describe.each(storeKinds())('store contract: event log ($name)', (kind) => {
  it('appends with consecutive seq, lists after a seq, knows which seqs it has', async () => {
    const store = await kind.open();
    await store.createInteraction(record('v1_a'));
    await store.createInteraction(record('v1_b'));
    await store.appendEvents('v1_a', batch('a', 1, 3));
    await store.appendEvents('v1_b', batch('b', 1, 2));
    await store.appendEvents('v1_a', batch('a', 4, 2));
    await store.appendEvents('v1_a', []);

    const all = await store.listEvents('v1_a');
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    // An event's id is its position in the log.
    expect(all.map((e) => e.eventId)).toEqual(['evt_1', 'evt_2', 'evt_3', 'evt_4', 'evt_5']);
    // Read back with its id on it, as the runtime stamps every event it logs.
    expect(all[3]).toStrictEqual({
      seq: 4,
      eventId: 'evt_4',
      event: { ...delta('a4 ✓'), event_id: 'evt_4' },
    });

    expect((await store.listEvents('v1_a', 3)).map((e) => e.seq)).toEqual([4, 5]);
    expect((await store.listEvents('v1_a', 1, 2)).map((e) => e.seq)).toEqual([2, 3]);
    expect(await store.listEvents('v1_a', 5)).toEqual([]);
    expect((await store.listEvents('v1_b')).map((e) => e.seq)).toEqual([1, 2]);

    expect(await store.hasEvent('v1_a', 4)).toBe(true);
    expect(await store.hasEvent('v1_b', 4)).toBe(false);
    expect(await store.hasEvent('v1_a', 6)).toBe(false);
  });

  it('rejects events for an interaction that is not stored, and deletes events with their interaction', async () => {
    const store = await kind.open();
    await expect(store.appendEvents('v1_ghost', batch('g', 1, 1))).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(store.appendEvents('v1_ghost', batch('g', 1, 1), 1)).rejects.toMatchObject({
      code: 'not_found',
    });

    await store.createInteraction(record('v1_a'));
    await store.appendEvents('v1_a', batch('a', 1, 10));
    expect(await store.deleteInteraction('v1_a', null)).toBe(true);
    expect(await store.listEvents('v1_a')).toEqual([]);
    expect(await store.hasEvent('v1_a', 3)).toBe(false);
  });

  it('handles a 10,000-event log appended at once', async () => {
    const store = await kind.open();
    await store.createInteraction(record('v1_big'));
    await store.appendEvents('v1_big', batch('e', 1, 10_000));

    // Plus a second log built from many small appends, like a live stream.
    for (let i = 0; i < 100; i++) await store.appendEvents('v1_big', batch('s', i * 10, 10));

    const listed = await store.listEvents('v1_big');
    expect(listed).toHaveLength(11_000);
    expect(listed.every((e, i) => e.seq === i + 1)).toBe(true);
    expect(listed[9_999]).toStrictEqual({
      seq: 10_000,
      eventId: 'evt_10000',
      event: { ...delta('e10000 ✓'), event_id: 'evt_10000' },
    });
    expect(written(await store.listEvents('v1_big', 10_990))).toEqual(
      Array.from({ length: 10 }, (_, i) => `s${990 + i} ✓`),
    );
    expect(written(await store.listEvents('v1_big', 9_998, 3))).toEqual(['e9999 ✓', 'e10000 ✓', 's0 ✓']);
    expect(await store.hasEvent('v1_big', 7_777)).toBe(true);
  });

  it('two store instances on one database interleave appends without gaps or duplicates', async () => {
    const location = kind.newLocation();
    const a = await kind.open(location);
    const b = await kind.open(location);
    // Not running: a running interaction is written by the one replica that runs it (replica-store.ts).
    await a.createInteraction({ ...record('v1_shared'), status: 'completed' });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).appendEvents('v1_shared', batch(`x${i}-`, 0, 5))),
    );
    const events = await b.listEvents('v1_shared');
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(written(events)).size).toBe(200);
  });

  it('appends at the seq the caller gives, and refuses a seq already taken', async () => {
    const store = await kind.open();
    await store.createInteraction(record('v1_seq'));
    await store.appendEvents('v1_seq', batch('a', 1, 3), 1);
    await store.appendEvents('v1_seq', batch('a', 4, 2), 4);
    expect((await store.listEvents('v1_seq')).map((e) => [e.seq, written([e])[0]])).toEqual([
      [1, 'a1 ✓'],
      [2, 'a2 ✓'],
      [3, 'a3 ✓'],
      [4, 'a4 ✓'],
      [5, 'a5 ✓'],
    ]);
    await expect(store.appendEvents('v1_seq', batch('b', 1, 1), 5)).rejects.toMatchObject({
      code: 'conflict',
    });
    // Many events at once are all or nothing: a seq taken near their end leaves none of them written.
    await store.createInteraction(record('v1_all'));
    await store.appendEvents('v1_all', batch('x', 600, 1), 600);
    await expect(store.appendEvents('v1_all', batch('c', 1, 600), 1)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(written(await store.listEvents('v1_all'))).toEqual(['x600 ✓']);
    await store.appendEvents('v1_seq', batch('c', 6, 600), 6);
    expect((await store.listEvents('v1_seq')).map((e) => e.seq)).toEqual(
      Array.from({ length: 605 }, (_, i) => i + 1),
    );
  });

  it("applies one interaction's writes in the order they were called", async () => {
    const store = await kind.open();
    // Issued together, without awaiting each: every row first, then its events, then its end — for many
    // interactions at once, so the writes really compete.
    const ids = Array.from({ length: 20 }, (_, i) => `v1_order${i}`);
    await Promise.all(
      ids.flatMap((id) => [
        store.createInteraction(record(id)),
        store.appendEvents(id, batch('o', 1, 2), 1),
        store.appendEvents(id, batch('o', 3, 2), 3),
        store.finishInteraction(id, { status: 'completed' }, [], 5),
      ]),
    );
    for (const id of ids) {
      expect(written(await store.listEvents(id))).toEqual(['o1 ✓', 'o2 ✓', 'o3 ✓', 'o4 ✓']);
      expect((await store.getInteraction(id, null))?.status).toBe('completed');
    }
  });
});

describe.each(storeKinds())('store contract: finishInteraction ($name)', (kind) => {
  const closing = (): { event: CanonicalEvent }[] => [
    { event: { event_type: 'step.stop', index: 0 } },
    { event: { event_type: 'interaction.status_update', interaction_id: 'v1_end', status: 'completed' } },
  ];

  it('writes the last events and the final state together', async () => {
    const store = await kind.open();
    await store.createInteraction(record('v1_end'));
    await store.appendEvents('v1_end', batch('a', 1, 2), 1);
    await store.finishInteraction('v1_end', { status: 'completed', output: [] }, closing(), 3);
    expect((await store.getInteraction('v1_end', null))?.status).toBe('completed');
    expect(written(await store.listEvents('v1_end'))).toEqual([
      'a1 ✓',
      'a2 ✓',
      'step.stop',
      'interaction.status_update',
    ]);
  });

  it('a log ended in the turn its row was created in reads like any other: from any seq, later appends after it', async () => {
    const store = await kind.open();
    // A model that answers at once: the row, its whole log and its end are issued before any is written.
    await Promise.all([
      store.createInteraction(record('v1_once')),
      store.finishInteraction('v1_once', { status: 'completed', output: [] }, batch('r', 1, 5), 1),
    ]);
    expect((await store.getInteraction('v1_once', null))?.status).toBe('completed');
    expect(written(await store.listEvents('v1_once'))).toEqual(['r1 ✓', 'r2 ✓', 'r3 ✓', 'r4 ✓', 'r5 ✓']);
    expect((await store.listEvents('v1_once', 2, 2)).map((e) => [e.seq, e.eventId])).toEqual([
      [3, 'evt_3'],
      [4, 'evt_4'],
    ]);
    expect(await store.hasEvent('v1_once', 5)).toBe(true);
    expect(await store.hasEvent('v1_once', 6)).toBe(false);
    // Its seqs are taken; the next ones are free.
    await expect(store.appendEvents('v1_once', batch('x', 5, 1), 5)).rejects.toMatchObject({
      code: 'conflict',
    });
    await store.appendEvents('v1_once', batch('y', 6, 2), 6);
    await store.appendEvents('v1_once', batch('z', 8, 1));
    expect(written(await store.listEvents('v1_once', 4))).toEqual(['r5 ✓', 'y6 ✓', 'y7 ✓', 'z8 ✓']);
    expect(written(await store.listEvents('v1_once', 4, 1))).toEqual(['r5 ✓']);
    expect(await store.hasEvent('v1_once', 7)).toBe(true);
    expect(await store.deleteInteraction('v1_once', null)).toBe(true);
    expect(await store.listEvents('v1_once')).toEqual([]);
    expect(await store.hasEvent('v1_once', 1)).toBe(false);
  });

  it('writes nothing when any part fails: a taken seq, or an interaction that is not stored', async () => {
    const store = await kind.open();
    await store.createInteraction(record('v1_end'));
    await store.appendEvents('v1_end', batch('a', 1, 2), 1);
    await expect(
      store.finishInteraction('v1_end', { status: 'completed' }, closing(), 2),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await store.getInteraction('v1_end', null))?.status).toBe('in_progress');
    expect(await store.listEvents('v1_end')).toHaveLength(2);
    await expect(store.finishInteraction('v1_gone', { status: 'completed' }, [], 1)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      store.finishInteraction('v1_gone', { status: 'completed' }, closing(), 1),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
