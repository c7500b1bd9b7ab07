/**
 * A scripted answer streamed as a model streams it: `delay_ms` after each event but the usage. Each event is
 * pushed from its timer (a {@link PushStream}), so the engine takes it there without a promise: the streaming
 * benchmarks pace thousands of events through it, and its cost is counted as the server's.
 */
import type { ProviderEvent } from '../provider.ts';
import { PushStream } from '../shared/push-stream.ts';

export class PacedEvents extends PushStream<ProviderEvent> {
  readonly #events: readonly ProviderEvent[];
  readonly #delayMs: number;
  #next = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(events: readonly ProviderEvent[], delayMs: number, signal: AbortSignal) {
    super(signal);
    this.#events = events;
    this.#delayMs = delayMs;
    this.onStop(() => clearTimeout(this.#timer));
    this.#step();
  }

  /** Pushes the events up to the next one to pause after, then waits for the timer (or ends). */
  readonly #step = (): void => {
    while (this.open) {
      const event = this.#events[this.#next++];
      if (!event) {
        this.end();
        return;
      }
      this.push(event);
      if (event.type !== 'usage') {
        // One timer for the whole answer, re-armed after each pause (no new timer per event).
        if (this.#timer) this.#timer.refresh();
        else this.#timer = setTimeout(this.#step, this.#delayMs);
        return;
      }
    }
  };
}
