/**
 * The JSON a batch of events is stored as (store/event-batches.ts): the events themselves, less what can be
 * rebuilt exactly. An answer streams one `step.delta` per word, each ~90 bytes of JSON around a few bytes of
 * text; stored as they are, a short answer's batch (~3 KB) filled a 4 KB page on its own, and page writes
 * were most of a create's commit. So:
 * - a run of plain text deltas of one step is stored as `{"texts": <index>, "t": [<text>, …]}`;
 * - an `event_id` that is the event's position (`evt_<seq>`, all of ours) is left out;
 * - in a row's own batch, a lifecycle event that can be rebuilt from the row is stored as a reference to it
 *   (store/lifecycle-refs.ts).
 * Decoding gives back the same events, keys in the same order as the log made them. Anything else — a delta
 * with more fields, a thought, an argument fragment — is stored as it is.
 */
import type { CanonicalEvent } from '@interplay/protocol';
import { eventIdFor } from '../runtime/ids.ts';
import type { LifecycleFields } from '../runtime/lifecycle-events.ts';
import { type LifecycleRef, lifecycleEvent, lifecycleRef } from './lifecycle-refs.ts';
import { type NewEvent, StoreError } from './store.ts';

/** A run of text deltas as stored. Events always have `event_type`; a run never does. */
interface TextRun {
  texts: number;
  t: string[];
}

/** A key of a plain text delta (compared by value: cheaper than a Set's hash lookup, once per key per delta). */
function isDeltaKey(key: string): boolean {
  return key === 'event_type' || key === 'index' || key === 'delta' || key === 'event_id';
}

/** The text of a delta that is exactly `{event_type, index, delta: {type: 'text', text}, event_id: id}`. */
function plainText(event: CanonicalEvent, id: string): string | undefined {
  if (event.event_type !== 'step.delta') return undefined;
  for (const key in event) if (!isDeltaKey(key)) return undefined;
  const { delta, event_id: eventId } = event as { delta?: Record<string, unknown>; event_id?: unknown };
  if (eventId !== id) return undefined;
  if (
    typeof delta !== 'object' ||
    delta === null ||
    delta.type !== 'text' ||
    typeof delta.text !== 'string'
  ) {
    return undefined;
  }
  for (const key in delta) if (key !== 'type' && key !== 'text') return undefined;
  return delta.text;
}

/**
 * `events` at seq `first`, `first + 1`, … as the JSON of one batch. `row`: the final state of the row the
 * batch is written into (its own batch), whose lifecycle events are then stored as references.
 */
export function encodeEvents(events: readonly NewEvent[], first: number, row?: LifecycleFields): string {
  const out: (CanonicalEvent | TextRun | LifecycleRef)[] = [];
  let run: TextRun | undefined;
  for (let i = 0; i < events.length; i++) {
    const { event } = events[i] as NewEvent;
    const id = eventIdFor(first + i);
    const text = plainText(event, id);
    if (text !== undefined) {
      const index = (event as { index?: number }).index as number;
      if (run?.texts === index) {
        run.t.push(text);
      } else {
        run = { texts: index, t: [text] };
        out.push(run);
      }
      continue;
    }
    run = undefined;
    const ref = row ? lifecycleRef(event, id, row) : undefined;
    if (ref) {
      out.push(ref);
    } else if ((event as { event_id?: unknown }).event_id === id) {
      // Left out by JSON.stringify, which skips an undefined value (a copy made with a rest pattern is a
      // dictionary-mode object, slower to make and to serialize).
      out.push({ ...event, event_id: undefined } as CanonicalEvent);
    } else out.push(event);
  }
  return JSON.stringify(out);
}

/**
 * The events of a batch stored by {@link encodeEvents} (or as a plain array), the first at seq `first`; each
 * with its `event_id` (its position when it had none). `row`: the row of a row's own batch, which its
 * lifecycle references are rebuilt from.
 */
export function decodeEvents(json: string, first: number, row?: LifecycleFields): CanonicalEvent[] {
  const stored = JSON.parse(json) as (CanonicalEvent | TextRun | LifecycleRef)[];
  const events: CanonicalEvent[] = [];
  for (const item of stored) {
    if ('event_type' in item) {
      const event = item as CanonicalEvent & { event_id?: string };
      event.event_id ??= eventIdFor(first + events.length);
      events.push(event);
      continue;
    }
    // (An event always has `event_type`; a reference or a text run never does.)
    if ('lifecycle' in item) {
      if (!row) throw new StoreError('schema', 'A stored event refers to a row that was not read with it.');
      events.push(lifecycleEvent(item, eventIdFor(first + events.length), row));
      continue;
    }
    for (const text of item.t) {
      events.push({
        event_type: 'step.delta',
        index: item.texts,
        delta: { type: 'text', text },
        event_id: eventIdFor(first + events.length),
      } as CanonicalEvent);
    }
  }
  return events;
}
