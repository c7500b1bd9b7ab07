/**
 * The store contract for a log written with its row's final state (a run that ends before its row is
 * written): every event, the lifecycle ones included (which SQLite keeps as references to the row,
 * store/lifecycle-refs.ts), reads back exactly as the log wrote it — same keys, same order, same JSON — from
 * the start and from every resume point.
 */
import type { CanonicalEvent } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { endEvents, startEvents } from '../src/runtime/lifecycle-events.ts';
import type { InteractionPatch, InteractionRecord } from '../src/store/store.ts';
import { runningRecord } from './helpers/records.ts';
import { storeKinds } from './helpers/store-kinds.ts';

const steps = (): CanonicalEvent[] => [
  { event_type: 'step.start', index: 0, step: { type: 'model_output', content: [] } },
  { event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'Hello ' } },
  { event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'there ✓' } },
  { event_type: 'step.stop', index: 0 },
];

/** The record as created and as it ended, and the events its run logged (ids stamped as the log does). */
interface Case {
  name: string;
  created: InteractionRecord;
  final: InteractionPatch;
  events: CanonicalEvent[];
}

function logged(events: CanonicalEvent[]): CanonicalEvent[] {
  for (const [i, event] of events.entries()) (event as { event_id?: string }).event_id = `evt_${i + 1}`;
  return events;
}

/** A run of `created` that ends as `final`, with `middle` between its start and end events. */
function run(name: string, created: InteractionRecord, final: InteractionPatch, middle = steps()): Case {
  const ended = { ...created, ...final };
  return { name, created, final, events: logged([...startEvents(created), ...middle, ...endEvents(ended)]) };
}

const usage = { total_input_tokens: 7, total_output_tokens: 2, total_tokens: 9 };
const end = { updated: '2026-01-01T00:00:03Z', output: [] };

const cases = (): Case[] => [
  run('a model, completed, with usage', runningRecord('v1_model', { model: 'm-1' }), {
    ...end,
    status: 'completed',
    usage,
  }),
  run('an agent, failed with an error, no usage', runningRecord('v1_agent', { agent: 'a-1' }), {
    ...end,
    status: 'failed',
    error: { code: 'api_error', message: 'The model backend failed "badly".' },
  }),
  run(
    'queued first, then in_progress',
    runningRecord('v1_queued', { model: 'm-1', status: 'queued' }),
    { ...end, status: 'completed', usage },
    [
      { event_type: 'interaction.status_update', interaction_id: 'v1_queued', status: 'in_progress' },
      ...steps(),
    ],
  ),
  // Lifecycle-looking events the row cannot rebuild: kept exactly as they are.
  run(
    'lifecycle events that differ from the row',
    runningRecord('v1_odd', { model: 'm-1' }),
    { ...end, status: 'completed', usage },
    [
      {
        event_type: 'interaction.created',
        interaction: {
          id: 'v1_odd',
          status: 'in_progress',
          object: 'interaction',
          model: 'm-1',
          created: '2026-01-01T00:00:00Z',
          updated: '2026-01-01T00:00:00Z',
          extra: 1,
        },
      } as CanonicalEvent,
      {
        event_type: 'interaction.status_update',
        interaction_id: 'v1_odd',
        status: 'completed',
        usage: { ...usage, total_tokens: 10 },
      },
      { event_type: 'interaction.status_update', interaction_id: 'v1_other', status: 'in_progress' },
      {
        event_type: 'interaction.completed',
        interaction: {
          id: 'v1_odd',
          object: 'interaction',
          status: 'completed',
          model: 'm-1',
          created: '2026-01-01T00:00:00Z',
          updated: '2026-01-01T00:00:03Z',
        },
      },
    ],
  ),
];

describe.each(storeKinds())('store contract: a log written with its final row ($name)', (kind) => {
  it.each(cases())('reads back every event exactly: $name', async ({ created, final, events }) => {
    const store = await kind.open();
    const json = events.map((e) => JSON.stringify(e));
    // A model that answers at once: the row, its whole log and its end are issued before any is written.
    await Promise.all([
      store.createInteraction(created),
      store.finishInteraction(
        created.id,
        final,
        events.map((event) => ({ event })),
        1,
      ),
    ]);
    const read = await store.listEvents(created.id);
    expect(read.map((e) => e.event)).toStrictEqual(events);
    expect(read.map((e) => JSON.stringify(e.event))).toEqual(json);
    expect(read.map((e) => [e.seq, e.eventId])).toEqual(events.map((_, i) => [i + 1, `evt_${i + 1}`]));
    for (let after = 1; after <= events.length; after++) {
      const tail = await store.listEvents(created.id, after);
      expect(tail.map((e) => JSON.stringify(e.event))).toEqual(json.slice(after));
      expect((await store.listEvents(created.id, after - 1, 1)).map((e) => JSON.stringify(e.event))).toEqual([
        json[after - 1],
      ]);
    }
  });
});
