/**
 * Canonical stream events (the steps vocabulary) → run events for one model step: text and thought-summary
 * deltas, status changes, and the stream cursor of each function call (its `step.stop` event).
 */
import type { CanonicalEvent, InteractionStatus } from '@interplay/protocol';
import type { RunEvent, StreamCursor } from './events.ts';

type Emit = (event: RunEvent) => void;

export class StreamMapper {
  readonly #emit: Emit;
  readonly #runId: string;
  readonly #step: number;
  #interactionId: string | undefined;
  #status: InteractionStatus | undefined;
  readonly #callAtIndex = new Map<number, string>();
  /** Cursor of each function call's last stream event, by call id. */
  readonly callCursors = new Map<string, StreamCursor>();

  constructor(emit: Emit, runId: string, step: number) {
    this.#emit = emit;
    this.#runId = runId;
    this.#step = step;
  }

  get interactionId(): string | undefined {
    return this.#interactionId;
  }

  #cursor(event: CanonicalEvent): { cursor?: StreamCursor } {
    return this.#interactionId && event.event_id
      ? { cursor: { interactionId: this.#interactionId, eventId: event.event_id } }
      : {};
  }

  #status_(status: InteractionStatus | undefined, event: CanonicalEvent): void {
    if (!status || status === this.#status || !this.#interactionId) return;
    this.#status = status;
    this.#emit({
      type: 'status_change',
      runId: this.#runId,
      step: this.#step,
      interactionId: this.#interactionId,
      status,
      ...this.#cursor(event),
    });
  }

  #text(delta: string, event: CanonicalEvent): void {
    if (delta)
      this.#emit({ type: 'text_delta', runId: this.#runId, step: this.#step, delta, ...this.#cursor(event) });
  }

  #thought(delta: string, event: CanonicalEvent): void {
    if (delta) {
      this.#emit({
        type: 'thought_delta',
        runId: this.#runId,
        step: this.#step,
        delta,
        ...this.#cursor(event),
      });
    }
  }

  push(event: CanonicalEvent): void {
    switch (event.event_type) {
      case 'interaction.created':
      case 'interaction.completed':
        this.#interactionId ??= event.interaction.id;
        this.#status_(event.interaction.status, event);
        return;
      case 'interaction.status_update':
        this.#interactionId ??= event.interaction_id;
        this.#status_(event.status, event);
        return;
      case 'step.start': {
        const step = event.step;
        if (step.type === 'model_output') {
          for (const c of step.content ?? []) if (c.type === 'text') this.#text(c.text, event);
        } else if (step.type === 'thought') {
          const summary: unknown[] = Array.isArray(step.summary) ? step.summary : [step.summary];
          for (const s of summary) {
            if (typeof s === 'string') this.#thought(s, event);
            else if ((s as { type?: unknown })?.type === 'text')
              this.#thought((s as { text: string }).text, event);
          }
        } else if (step.type === 'function_call') {
          this.#callAtIndex.set(event.index, step.id);
        }
        return;
      }
      case 'step.delta': {
        const delta = event.delta;
        if (delta.type === 'text') this.#text(delta.text, event);
        else if (delta.type === 'thought_summary' && delta.content?.type === 'text') {
          this.#thought(delta.content.text, event);
        }
        this.#noteCall(event.index, event);
        return;
      }
      case 'step.stop':
        this.#noteCall(event.index, event);
        return;
      default:
        return;
    }
  }

  #noteCall(index: number, event: CanonicalEvent): void {
    const id = this.#callAtIndex.get(index);
    const { cursor } = this.#cursor(event);
    if (id && cursor) this.callCursors.set(id, cursor);
  }
}
