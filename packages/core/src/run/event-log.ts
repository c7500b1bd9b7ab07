/**
 * An append-only event log read by any number of async iterators, each from the start: `run.events()` can be
 * called at any time without missing what already happened. The iterators end when the log is closed, and
 * throw when it is closed with an error.
 */
export class EventLog<T> {
  readonly #items: T[] = [];
  #closed = false;
  #error: { error: unknown } | undefined;
  #waiters: (() => void)[] = [];

  push(item: T): void {
    if (this.#closed) return;
    this.#items.push(item);
    this.#wake();
  }

  close(error?: { error: unknown }): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    this.#wake();
  }

  #wake(): void {
    if (this.#waiters.length === 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  async *read(): AsyncGenerator<T, void, undefined> {
    let index = 0;
    for (;;) {
      while (index < this.#items.length) yield this.#items[index++] as T;
      if (this.#closed) {
        if (this.#error) throw this.#error.error;
        return;
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}
