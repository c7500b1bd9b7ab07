/**
 * The abort side of one tool call: its `ctx.signal` aborts when the run is aborted (with the run's reason)
 * or when the call's time limit passes (with a {@link CallTimeout}).
 */

/** The reason `ctx.signal` aborts with when a call runs out of time. */
export class CallTimeout extends Error {
  readonly ms: number;
  constructor(ms: number) {
    super(`Timed out after ${ms} ms`);
    this.name = 'TimeoutError';
    this.ms = ms;
  }
}

export class CallAbort {
  readonly #run: AbortSignal;
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onRunAbort = () => this.#controller.abort(this.#run.reason);

  /** `timeoutMs` 0: no limit. */
  constructor(run: AbortSignal, timeoutMs: number) {
    this.#run = run;
    this.#timeoutMs = timeoutMs;
    if (run.aborted) this.#onRunAbort();
    else run.addEventListener('abort', this.#onRunAbort, { once: true });
  }

  /** The tool's signal. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The time limit passed (and the tool's signal says so). */
  get timedOut(): CallTimeout | undefined {
    const reason: unknown = this.#controller.signal.reason;
    return reason instanceof CallTimeout ? reason : undefined;
  }

  /**
   * Resolve with `promise`, or reject with the signal's reason as soon as it aborts: the run is aborted, or
   * the time limit passes. The clock starts here — when the tool has returned its promise — because
   * synchronous work cannot be interrupted in JavaScript anyway.
   */
  race<T>(promise: PromiseLike<T>): Promise<T> {
    const { signal } = this;
    if (signal.aborted) return Promise.reject(signal.reason);
    const ms = this.#timeoutMs;
    if (ms > 0) this.#timer = setTimeout(() => this.#controller.abort(new CallTimeout(ms)), ms);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /** The call is over: stop the clock and stop listening to the run. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#run.removeEventListener('abort', this.#onRunAbort);
  }
}
