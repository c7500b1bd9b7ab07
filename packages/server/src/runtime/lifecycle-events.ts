/**
 * The events around a turn's steps: `interaction.created` + `status_update` when it starts, then `error` (if
 * it failed), `status_update` and `interaction.completed` when it ends (run.ts).
 */
import type { CanonicalEvent } from '@interplay/protocol';
import type { InteractionRecord } from '../store/store.ts';

export function startEvents(r: InteractionRecord): CanonicalEvent[] {
  // A background run waiting for a slot starts `queued`; its `in_progress` update comes when it gets one.
  const status = r.status === 'queued' ? 'queued' : 'in_progress';
  return [
    {
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
    },
    { event_type: 'interaction.status_update', interaction_id: r.id, status },
  ];
}

/** For a record whose `status`, `usage`, `error` and `updated` are final. */
export function endEvents(r: InteractionRecord): CanonicalEvent[] {
  const usage = r.usage ? { usage: r.usage } : {};
  const events: CanonicalEvent[] = [];
  if (r.error) events.push({ event_type: 'error', error: { code: r.error.code, message: r.error.message } });
  events.push(
    { event_type: 'interaction.status_update', interaction_id: r.id, status: r.status, ...usage },
    {
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
    },
  );
  return events;
}

function modelOrAgent(r: InteractionRecord): { model?: string; agent?: string } {
  if (r.agent !== undefined) return { agent: r.agent };
  return r.model !== undefined ? { model: r.model } : {};
}
