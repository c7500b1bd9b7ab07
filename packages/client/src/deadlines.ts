/**
 * Deadlines of many waits on one Node timer. A request's attempt sets a deadline when it starts and drops it
 * when the response is in; a stream moves its deadline on every chunk. Nearly all of them are dropped long
 * before they are due, so arming and clearing a timer for each (what `setTimeout` per attempt does) is work
 * spent for nothing: here an attempt costs a set insertion, and the one timer is armed only for the earliest
 * deadline and re-armed when it fires.
 *
 * @example
 * const deadline = DEADLINES.add(30_000, () => controller.abort());
 * try { await work(); } finally { DEADLINES.delete(deadline); }
 */

export interface Deadline {
  /** When it is due (`performance.now()` time). */
  at: number;
  readonly onExpire: () => void;
}

export interface TimerApi {
  now(): number;
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const NODE_TIMERS: TimerApi = {
  now: () => performance.now(),
  set: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // An open request keeps the process alive by its socket; its deadline need not.
    timer.unref();
    return timer;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class Deadlines {
  readonly #timers: TimerApi;
  readonly #pending = new Set<Deadline>();
  #handle: unknown;
  /** When the armed timer fires (`Infinity` when none is armed). */
  #armedAt = Number.POSITIVE_INFINITY;

  constructor(timers: TimerApi = NODE_TIMERS) {
    this.#timers = timers;
  }

  /** Call `onExpire` in `ms` unless the deadline is dropped (or moved) before. */
  add(ms: number, onExpire: () => void): Deadline {
    const deadline: Deadline = { at: this.#timers.now() + ms, onExpire };
    this.#pending.add(deadline);
    if (deadline.at < this.#armedAt) this.#arm(deadline.at);
    return deadline;
  }

  /** Push a pending deadline `ms` from now (a stream that received data). */
  move(deadline: Deadline, ms: number): void {
    if (!this.#pending.has(deadline)) return;
    deadline.at = this.#timers.now() + ms;
    if (deadline.at < this.#armedAt) this.#arm(deadline.at);
  }

  /** Drop a deadline: it will not fire. The timer stays armed; when it fires with nothing due it re-arms or stops. */
  delete(deadline: Deadline): void {
    this.#pending.delete(deadline);
  }

  /** Deadlines not yet due or dropped. */
  get size(): number {
    return this.#pending.size;
  }

  #arm(at: number): void {
    if (this.#handle !== undefined) this.#timers.clear(this.#handle);
    this.#armedAt = at;
    this.#handle = this.#timers.set(() => this.#fire(), Math.max(0, at - this.#timers.now()));
  }

  #fire(): void {
    this.#handle = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    const now = this.#timers.now();
    const due: Deadline[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const deadline of this.#pending) {
      if (deadline.at <= now) due.push(deadline);
      else if (deadline.at < next) next = deadline.at;
    }
    for (const deadline of due) this.#pending.delete(deadline);
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
    // After re-arming: a callback that adds a deadline sees a consistent state.
    for (const deadline of due) deadline.onExpire();
  }
}

/** The process's deadlines (one timer for every client). */
export const DEADLINES = new Deadlines();
