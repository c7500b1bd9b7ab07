/**
 * The events around a turn's steps: `interaction.created` + `status_update` when it starts, then `error` (if
 * it failed), `status_update` and `interaction.completed` when it ends (run.ts). Each is built from the
 * interaction's record alone, so the store can keep them as references to the row and rebuild them on read
 * (store/lifecycle-refs.ts).
 */
import type { CanonicalEvent, InteractionStatus, Usage } from '@interplay/protocol';
import type { InteractionRecord } from '../store/store.ts';

/** What the lifecycle events of an interaction are built from: fields of its record (and row). */
export type LifecycleFields = Pick<
  InteractionRecord,
  'id' | 'status' | 'model' | 'agent' | 'created' | 'updated' | 'usage'
>;

export function startEvents(r: LifecycleFields): CanonicalEvent[] {
  // A background run waiting for a slot starts `queued`; its `in_progress` update comes when it gets one.
  const status = r.status === 'queued' ? 'queued' : 'in_progress';
  return [createdEvent(r, status), statusEvent(r.id, status)];
}

/** For a record whose `status`, `usage`, `error` and `updated` are final. */
export function endEvents(r: LifecycleFields & Pick<InteractionRecord, 'error'>): CanonicalEvent[] {
  const events: CanonicalEvent[] = [];
  if (r.error) events.push({ event_type: 'error', error: { code: r.error.code, message: r.error.message } });
  events.push(statusEvent(r.id, r.status, r.usage), completedEvent(r));
  return events;
}

/** `interaction.created` of `r`, as it started with `status`. */
export function createdEvent(r: LifecycleFields, status: InteractionStatus): CanonicalEvent {
  return {
    event_type: 'interaction.created',
    interaction: {
      id: r.id,
      status,
      object: 'interaction',
      ...modelOrAgent(r),
      created: r.created,
      // As it started: a finished record's `updated` is its end.
      updated: r.created,
    },
  };
}

/** A `status_update`; the one that ends a turn carries its usage. */
export function statusEvent(id: string, status: InteractionStatus, usage?: Usage): CanonicalEvent {
  return usage
    ? { event_type: 'interaction.status_update', interaction_id: id, status, usage }
    : { event_type: 'interaction.status_update', interaction_id: id, status };
}

/** `interaction.completed` of a record in its final state. */
export function completedEvent(r: LifecycleFields): CanonicalEvent {
  const usage = r.usage ? { usage: r.usage } : {};
  return {
    event_type: 'interaction.completed',
    interaction: {
      id: r.id,
      status: r.status,
      object: 'interaction',
      ...modelOrAgent(r),
      created: r.created,
      updated: r.updated,
      ...usage,
    },
  };
}

function modelOrAgent(r: LifecycleFields): { model?: string; agent?: string } {
  if (r.agent !== undefined) return { agent: r.agent };
  return r.model !== undefined ? { model: r.model } : {};
}
