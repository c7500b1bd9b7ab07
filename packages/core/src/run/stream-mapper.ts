/**
 * One model step's server stream → run events: text and thought-summary deltas, status changes, and the
 * stream cursor of each function call (its last event), for the `tool_call` events that follow the stream.
 */
import type { CanonicalEvent } from '@interplay/protocol';
import type { BackendEvent } from '../backend/backend.ts';
import type { RunEvent, StreamCursor } from './events.ts';
import { isLifecycleEvent, StreamInteraction } from './stream-interaction.ts';

export class StreamMapper {
  readonly #runId: string;
  readonly #step: number;
  readonly #interaction = new StreamInteraction();
  readonly #callAtIndex = new Map<number, string>();
  /** Cursor of each function call's last stream event, by call id. */
  readonly callCursors = new Map<string, StreamCursor>();

  constructor(runId: string, step: number) {
    this.#runId = runId;
    this.#step = step;
  }

  /** The run events one server event stands for (often none). */
  map({ eventId, events }: BackendEvent): RunEvent[] {
    const out: RunEvent[] = [];
    for (const event of events) this.#map(event, eventId, out);
    return out;
  }

  #map(event: CanonicalEvent, eventId: string | undefined, out: RunEvent[]): void {
    const base = { runId: this.#runId, step: this.#step };
    const cursor = () => this.#interaction.cursor(eventId);
    if (isLifecycleEvent(event)) {
      const change = this.#interaction.statusChange(event);
      if (change) out.push({ ...base, type: 'status_change', ...change, ...cursor() });
      return;
    }
    const text = (delta: string) => {
      if (delta) out.push({ ...base, type: 'text_delta', delta, ...cursor() });
    };
    const thought = (delta: string) => {
      if (delta) out.push({ ...base, type: 'thought_delta', delta, ...cursor() });
    };
    const noteCall = (index: number) => {
      const id = this.#callAtIndex.get(index);
      const at = cursor().cursor;
      if (id && at) this.callCursors.set(id, at);
    };
    switch (event.event_type) {
      case 'step.start': {
        const step = event.step;
        if (step.type === 'model_output') {
          for (const part of step.content ?? []) if (part.type === 'text') text(part.text);
        } else if (step.type === 'thought') {
          const summary: unknown[] = Array.isArray(step.summary) ? step.summary : [step.summary];
          for (const part of summary) {
            if (typeof part === 'string') thought(part);
            else if ((part as { type?: unknown })?.type === 'text') thought((part as { text: string }).text);
          }
        } else if (step.type === 'function_call') {
          this.#callAtIndex.set(event.index, step.id);
        }
        return;
      }
      case 'step.delta': {
        const delta = event.delta;
        if (delta.type === 'text') text(delta.text);
        else if (delta.type === 'thought_summary' && delta.content?.type === 'text')
          thought(delta.content.text);
        noteCall(event.index);
        return;
      }
      case 'step.stop':
        noteCall(event.index);
        return;
      default:
        return;
    }
  }
}
