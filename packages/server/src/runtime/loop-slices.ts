/**
 * Work whose length a client decides — the thousands of events of one long answer, streamed or stored — gives
 * the event loop back every few units, so other requests (a health check, another client's stream) are served
 * between slices of it instead of after the whole. Short answers never pause: the count starts over per use.
 *
 * @example
 * const slices = new LoopSlices(64);
 * for (const event of events) {
 *   write(event);
 *   if (slices.due()) await yieldToLoop();
 * }
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export class LoopSlices {
  readonly #every: number;
  #left: number;

  constructor(every: number) {
    this.#every = every;
    this.#left = every;
  }

  /** Counts one unit of work; true every `every` units, when the caller should `await yieldToLoop()`. */
  due(): boolean {
    if (--this.#left > 0) return false;
    this.#left = this.#every;
    return true;
  }
}

/** Resolves on the event loop's next turn, after the I/O that is waiting now. */
export const yieldToLoop = (): Promise<void> => nextTurn();
