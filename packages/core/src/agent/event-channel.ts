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

  /**
   * Resolves with `pending`'s result, or with undefined as soon as an item is waiting (at once if one is).
   * One waiter at a time, each replacing the last: a wait that `pending` wins leaves nothing behind on the
   * channel (`Promise.race` with a channel promise would add a reaction to it per wait).
   */
  race<R>(pending: Promise<R>): Promise<R | undefined> {
    return new Promise<R | undefined>((resolve, reject) => {
      pending.then(resolve, reject);
      if (this.#items.length > 0) resolve(undefined);
      else this.#wake = () => resolve(undefined);
    });
  }

  /** Every waiting item, oldest first; the channel is then empty. */
  take(): T[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }
}
