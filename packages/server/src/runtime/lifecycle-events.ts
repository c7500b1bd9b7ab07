/**
 * The events around a turn's steps: `interaction.created` + `status_update` when it starts, then `error` (if
 * it failed), `status_update` and `interaction.completed` when it ends (run.ts). Each is built from the
 * interaction's record alone, so the store can keep them as references to the row and rebuild them on read
 * (store/lifecycle-refs.ts). A change to what one of them holds changes what stored references read back
 * as: keep the old event for them (a new kind of reference for the new one) if replays must not change.
 */
import type { CanonicalEvent, InteractionStatus, StepsInteraction, Usage } from '@interplay/protocol';
import type { InteractionRecord } from '../store/store.ts';

/** The interaction as lifecycle events carry it. */
type Interaction = Partial<StepsInteraction> & { id: string };

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
  // As it started: a finished record's `updated` is its end.
  return { event_type: 'interaction.created', interaction: interactionOf(r, status, r.created) };
}

/** A `status_update`; the one that ends a turn carries its usage. */
export function statusEvent(id: string, status: InteractionStatus, usage?: Usage): CanonicalEvent {
  return usage
    ? { event_type: 'interaction.status_update', interaction_id: id, status, usage }
    : { event_type: 'interaction.status_update', interaction_id: id, status };
}

/** `interaction.completed` of a record in its final state. */
export function completedEvent(r: LifecycleFields): CanonicalEvent {
  const interaction = interactionOf(r, r.status, r.updated);
  if (r.usage) interaction.usage = r.usage;
  return { event_type: 'interaction.completed', interaction };
}

/**
 * The interaction as its lifecycle events show it. Built by assignment: in an object literal, every key
 * after a spread is defined through a V8 runtime call (~1,400 instructions each), and these are built for
 * every create (twice when the store keeps them as references).
 */
function interactionOf(r: LifecycleFields, status: InteractionStatus, updated: string): Interaction {
  const interaction: Interaction = { id: r.id, status, object: 'interaction' };
  if (r.agent !== undefined) interaction.agent = r.agent;
  else if (r.model !== undefined) interaction.model = r.model;
  interaction.created = r.created;
  interaction.updated = updated;
  return interaction;
}
