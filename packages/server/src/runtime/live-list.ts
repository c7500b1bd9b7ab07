/**
 * The members of a collection that turns over all the time and lives as long as the process — the runs in
 * progress: each added when it starts and removed when it ends, thousands a second on a busy gateway.
 *
 * An array, not a `Set`: a Set that keeps being added to and deleted from keeps being rebuilt, and V8 links
 * each table it leaves to the one that replaced it, still holding the members it had then. The first of those
 * tables is old (the Set has been around since startup), and a minor GC takes everything an old object points
 * at for alive, so every later table and every run any of them held was copied and promoted to the old
 * generation, run after run, until the next full GC (docs/decisions-performance.md). Here a removed member's
 * slot takes the last member and the array shrinks by one: nothing is left pointing at it.
 */
export class LiveList<T> {
  readonly #entries: { item: T; index: number }[] = [];

  get size(): number {
    return this.#entries.length;
  }

  /** Adds `item`; returns what removes it (once; later calls do nothing). */
  add(item: T): () => void {
    const entry = { item, index: this.#entries.length };
    this.#entries.push(entry);
    return () => {
      if (this.#entries[entry.index] !== entry) return;
      const last = this.#entries.pop() as { item: T; index: number };
      if (last !== entry) {
        this.#entries[entry.index] = last;
        last.index = entry.index;
      }
    };
  }

  /** The members now, in no particular order. */
  values(): T[] {
    return this.#entries.map((entry) => entry.item);
  }
}
