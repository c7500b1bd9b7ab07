/**
 * A `Map` whose members turn over all the time and which lives as long as the process — the stored runs in
 * progress by id: each set when it starts and deleted when it ends, a turn at a time.
 *
 * Each value sits in a slot of its own, emptied when it is deleted. A Map rebuilds its table whenever its
 * slots (deleted ones included) run out, and V8 leaves each table it leaves pointing at its successor, still
 * holding the entries it had then (see live-list.ts). The first table is old, so a minor GC would find every
 * later table and every value any of them held alive — a run with its request, record, log and history — and
 * promote them to the old generation, turn after turn, until the next full GC. With a slot per value, a left
 * table holds keys and empty slots only. (Unlike `LiveList`, this keeps lookup by key.)
 */
export class LiveMap<K, V> {
  readonly #slots = new Map<K, { value: V | undefined }>();

  get size(): number {
    return this.#slots.size;
  }

  get(key: K): V | undefined {
    return this.#slots.get(key)?.value;
  }

  has(key: K): boolean {
    return this.#slots.has(key);
  }

  set(key: K, value: V): void {
    const slot = this.#slots.get(key);
    if (slot) slot.value = value;
    else this.#slots.set(key, { value });
  }

  /** Removes `key`; whether it was there. */
  delete(key: K): boolean {
    const slot = this.#slots.get(key);
    if (!slot) return false;
    slot.value = undefined;
    return this.#slots.delete(key);
  }

  /** The values now, in insertion order. */
  values(): V[] {
    const values: V[] = [];
    for (const slot of this.#slots.values()) values.push(slot.value as V);
    return values;
  }
}
