/**
 * What one step's server stream says about its interaction: the id (from the first lifecycle event when it
 * was not known before), status changes, and the stream cursor of an event. The run loop's stream mapper and
 * the flows' progress mapper read lifecycle events this one way.
 */
import type { CanonicalEvent, InteractionStatus } from '@interplay/protocol';
import type { StreamCursor } from './events.ts';

type LifecycleEvent = Extract<
  CanonicalEvent,
  { event_type: 'interaction.created' | 'interaction.status_update' | 'interaction.completed' }
>;

export const isLifecycleEvent = (event: CanonicalEvent): event is LifecycleEvent =>
  event.event_type === 'interaction.created' ||
  event.event_type === 'interaction.status_update' ||
  event.event_type === 'interaction.completed';

export class StreamInteraction {
  #id: string | undefined;
  #status: InteractionStatus | undefined;

  constructor(id?: string) {
    this.#id = id;
  }

  get id(): string | undefined {
    return this.#id;
  }

  /** Reads a lifecycle event; returns the interaction and its new status when the status changed. */
  statusChange(event: LifecycleEvent): { interactionId: string; status: InteractionStatus } | undefined {
    const [id, status] =
      event.event_type === 'interaction.status_update'
        ? [event.interaction_id, event.status]
        : [event.interaction.id, event.interaction.status];
    this.#id ??= id;
    if (!status || status === this.#status || !this.#id) return undefined;
    this.#status = status;
    return { interactionId: this.#id, status };
  }

  /** The cursor of the wire event `eventId`, to spread into an event (nothing while either is unknown). */
  cursor(eventId: string | undefined): { cursor?: StreamCursor } {
    return this.#id && eventId ? { cursor: { interactionId: this.#id, eventId } } : {};
  }
}
