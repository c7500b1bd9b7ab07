/**
 * Group commit. Writes issued during one turn of the event loop are queued and run together in one
 * transaction at the end of it (`setImmediate`): one WAL commit for all of them instead of one each. Every
 * caller's promise settles after that commit, so "awaited" still means "durable" (as durable as a commit).
 *
 * A write that throws inside a shared transaction would take the others down with it: the batch is rolled back
 * and its writes are run again one by one, so only the failing one fails (writes are plain SQL on their
 * arguments, so running one again after a rollback is the same as running it the first time).
 */
import type { Statements } from './statements.ts';

/**
 * Most writes one commit takes. The rest go in the next turn of the event loop: a commit runs synchronously,
 * and when hundreds of running interactions hand over their event batches at once (their windows end on a
 * shared clock, runtime/interaction-log.ts) one commit of them all would hold every stream's next event back.
 */
export const MAX_WRITES_PER_COMMIT = 32;

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class WriteQueue {
  readonly #sql: Statements;
  #pending: QueuedWrite[] = [];
  #scheduled = false;

  constructor(sql: Statements) {
    this.#sql = sql;
  }

  /** Queue `write` (synchronous SQL, atomic on its own via `Statements.transaction` if it has several statements). */
  enqueue<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ run: write, resolve: resolve as (value: unknown) => void, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  get pending(): number {
    return this.#pending.length;
  }

  /** Run every queued write now, in as many commits as it takes (the store calls this before closing). */
  drain(): void {
    while (this.#pending.length > 0) this.flush();
  }

  /** Commit the next queued writes (at most {@link MAX_WRITES_PER_COMMIT}). */
  flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const batch = this.#pending.splice(0, MAX_WRITES_PER_COMMIT);
    if (this.#pending.length > 0) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
    if (batch.length === 1) {
      runAlone(batch[0] as QueuedWrite);
      return;
    }
    let results: unknown[];
    try {
      results = this.#sql.transaction(() => batch.map((write) => write.run()));
    } catch {
      for (const write of batch) runAlone(write, this.#sql);
      return;
    }
    batch.forEach((write, i) => {
      write.resolve(results[i]);
    });
  }
}

/** A write in its own transaction (a single statement is one on its own). */
function runAlone(write: QueuedWrite, sql?: Statements): void {
  try {
    write.resolve(sql ? sql.transaction(write.run) : write.run());
  } catch (error) {
    write.reject(error);
  }
}
