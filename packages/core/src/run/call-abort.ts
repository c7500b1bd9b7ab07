/**
 * The abort side of one tool call: `ctx.signal` fires when the run is aborted (with the run's reason) or when
 * the call's time limit passes (with a {@link CallTimeout}). The AbortController and the listener on the
 * run's signal are only made when needed — a tool reading `ctx.signal`, or an async result being raced — and
 * the clock starts when a result is raced: a synchronous tool cannot be interrupted anyway, so it costs
 * neither a timer nor a listener.
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
  readonly #onRunAbort = () => this.#abort(this.#run.reason);
  #controller: AbortController | undefined;
  readonly #timeoutMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `timeoutMs` 0: no limit. */
  constructor(run: AbortSignal, timeoutMs: number) {
    this.#run = run;
    this.#timeoutMs = timeoutMs;
  }

  /** The tool's signal (made on first use). */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#run.aborted) this.#controller.abort(this.#run.reason);
      else this.#run.addEventListener('abort', this.#onRunAbort, { once: true });
    }
    return this.#controller.signal;
  }

  /** The time limit passed (and the tool's signal says so). */
  get timedOut(): CallTimeout | undefined {
    const reason: unknown = this.#controller?.signal.reason;
    return reason instanceof CallTimeout ? reason : undefined;
  }

  #abort(reason: unknown): void {
    const { signal } = this; // a timeout before anyone asked for the signal still aborts it
    if (!signal.aborted) this.#controller?.abort(reason);
  }

  /**
   * Resolve with `promise`, or reject with the signal's reason as soon as it aborts: the run is aborted, or
   * the time limit (counted from this call) passes.
   */
  race<T>(promise: PromiseLike<T>): Promise<T> {
    const { signal } = this;
    if (signal.aborted) return Promise.reject(signal.reason);
    const ms = this.#timeoutMs;
    if (ms > 0 && this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#abort(new CallTimeout(ms)), ms);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  /** The call is over: stop the clock and stop listening to the run. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#controller) this.#run.removeEventListener('abort', this.#onRunAbort);
  }
}
