/**
 * The cap on background runs executing at once in this process. A background run past the cap waits here,
 * `queued`, and takes the first slot that frees up (first come, first served); cancelling it while it waits
 * (its signal aborts) takes it out of the line.
 *
 * @example
 * ```ts
 * const slots = new BackgroundSlots(2);
 * const release = await slots.acquire(signal); // waits while two runs hold a slot
 * try { await runTurn(); } finally { release(); }
 * ```
 */
export class BackgroundSlots {
  readonly limit: number;
  #used = 0;
  readonly #line: (() => void)[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new TypeError(`maxBackgroundRuns must be a positive integer, got ${limit}`);
    }
    this.limit = limit;
  }

  /** How many runs could start now without waiting. */
  get free(): number {
    return Math.max(0, this.limit - this.#used - this.#line.length);
  }

  /** Whether a run starting now would have to wait. */
  get full(): boolean {
    return this.#used >= this.limit || this.#line.length > 0;
  }

  /** Resolves with the slot's release once one is free; rejects with the signal's reason if it aborts first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (!this.full) {
      this.#used++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.#line.indexOf(take);
        if (i >= 0) this.#line.splice(i, 1);
        reject(signal.reason);
      };
      const take = () => {
        signal.removeEventListener('abort', onAbort);
        this.#used++;
        resolve(this.#releaser());
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#line.push(take);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used--;
      this.#line.shift()?.();
    };
  }
}
