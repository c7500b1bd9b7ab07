/**
 * Events pushed from elsewhere while the run waits (a sub-agent's events, pushed by its tool call while the
 * loop awaits that call), for the run's generator to yield in between the loop's own events.
 */
export class EventChannel<T> {
  #items: T[] = [];
  #wake: (() => void) | undefined;

  push(item: T): void {
    this.#items.push(item);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Resolves once an item is waiting (at once if one is). */
  ready(): Promise<void> {
    if (this.#items.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  /** Every waiting item, oldest first; the channel is then empty. */
  take(): T[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }
}
