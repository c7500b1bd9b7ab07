/**
 * Lifecycle events kept as references to their interaction's row. `interaction.created`, the `status_update`s
 * and `interaction.completed` repeat what the row holds (id, model or agent, times, status, usage): in a short
 * answer's log they are two thirds of the JSON. Where the row is written with its whole log and its final
 * state (store/event-batches.ts, the row's own batch), such an event is stored as `{"lifecycle": …}` and
 * rebuilt from the row's columns when read, by the same functions that built it (runtime/lifecycle-events.ts).
 *
 * An event becomes a reference only when rebuilding it gives exactly the event (same keys, same order, same
 * values); anything else is stored as it is. This relies on the row's status, times and usage not changing
 * once it holds its log, which is so: that log is written only with the row's final state.
 */
import type { CanonicalEvent, InteractionStatus } from '@interplay/protocol';
import {
  completedEvent,
  createdEvent,
  type LifecycleFields,
  statusEvent,
} from '../runtime/lifecycle-events.ts';
import { StoreError } from './store.ts';

/**
 * A lifecycle event as stored: `created` (with the status it started with), `status` (a status_update without
 * usage), `ended` (the row's final status_update, with its usage), `completed`.
 */
export type LifecycleRef =
  | { lifecycle: 'created'; status: InteractionStatus }
  | { lifecycle: 'status'; status: InteractionStatus }
  | { lifecycle: 'ended' }
  | { lifecycle: 'completed' };

/** The reference `event` (whose `event_id` is `id`) can be stored as, or `undefined`. */
export function lifecycleRef(
  event: CanonicalEvent,
  id: string,
  row: LifecycleFields,
): LifecycleRef | undefined {
  let ref: LifecycleRef;
  switch (event.event_type) {
    case 'interaction.created': {
      const status = (event.interaction as { status?: unknown } | undefined)?.status;
      if (typeof status !== 'string') return undefined;
      ref = { lifecycle: 'created', status: status as InteractionStatus };
      break;
    }
    case 'interaction.status_update':
      ref = 'usage' in event ? { lifecycle: 'ended' } : { lifecycle: 'status', status: event.status };
      break;
    case 'interaction.completed':
      ref = { lifecycle: 'completed' };
      break;
    default:
      return undefined;
  }
  return sameJson(event, lifecycleEvent(ref, id, row)) ? ref : undefined;
}

/** The event `ref` stands for, with `event_id` `id`. */
export function lifecycleEvent(ref: LifecycleRef, id: string, row: LifecycleFields): CanonicalEvent {
  let event: CanonicalEvent;
  switch (ref.lifecycle) {
    case 'created':
      event = createdEvent(row, ref.status);
      break;
    case 'status':
      event = statusEvent(row.id, ref.status);
      break;
    case 'ended':
      event = statusEvent(row.id, row.status, row.usage);
      break;
    case 'completed':
      event = completedEvent(row);
      break;
    default:
      // Written by a newer server that knows more kinds of reference.
      throw new StoreError('schema', `A stored event refers to an unknown lifecycle event.`);
  }
  (event as { event_id?: string }).event_id = id;
  return event;
}

/**
 * Whether `a` and `b` serialize to the same JSON: the same keys in the same order, the same values. Walks `a`
 * with `for…in` (whose `a[key]` reads through the shape's cached keys) beside `b`'s key list; the objects
 * compared have a handful of keys. Runs for every lifecycle event of a row's own batch, at every create.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const objectA = a as Record<string, unknown>;
  const objectB = b as Record<string, unknown>;
  const keysB = Object.keys(objectB);
  let count = 0;
  for (const key in objectA) {
    if (keysB[count] !== key) return false;
    // Most values are equal strings or numbers: compared here, without a call.
    const valueA = objectA[key];
    const valueB = objectB[key];
    if (valueA !== valueB && !sameJson(valueA, valueB)) return false;
    count++;
  }
  return count === keysB.length;
}
