/**
 * A scripted answer streamed as a model streams it: `delay_ms` after each event but the usage. An iterator
 * of its own rather than an async generator (the pause is the only await, one promise per event where a
 * generator's yield adds several): the streaming benchmarks pace thousands of events through it, and its cost
 * is counted as the server's. One abort listener for the whole answer, not one per pause.
 */
import type { ProviderEvent } from '../provider.ts';

export class PacedEvents implements AsyncIterableIterator<ProviderEvent> {
  readonly #events: readonly ProviderEvent[];
  readonly #delayMs: number;
  readonly #signal: AbortSignal;
  #next = 0;
  /** The event handed out last was one to pause after. */
  #pauseFirst = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;

  constructor(events: readonly ProviderEvent[], delayMs: number, signal: AbortSignal) {
    this.#events = events;
    this.#delayMs = delayMs;
    this.#signal = signal;
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<ProviderEvent>> {
    if (this.#pauseFirst) {
      this.#signal.throwIfAborted();
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, this.#delayMs);
      });
      this.#signal.throwIfAborted();
    }
    const event = this.#events[this.#next++];
    if (!event) {
      this.#stop();
      return { value: undefined, done: true };
    }
    this.#pauseFirst = event.type !== 'usage';
    return { value: event, done: false };
  }

  async return(): Promise<IteratorResult<ProviderEvent>> {
    this.#stop();
    return { value: undefined, done: true };
  }

  readonly #onAbort = (): void => {
    clearTimeout(this.#timer);
    this.#wake?.();
  };

  #stop(): void {
    this.#next = this.#events.length;
    this.#pauseFirst = false;
    this.#signal.removeEventListener('abort', this.#onAbort);
  }
}
