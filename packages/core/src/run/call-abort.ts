/**
 * The abort side of tool calls. Each call's `ctx.signal` aborts when the run is aborted (with the run's
 * reason) or when the call's time limit passes (with a {@link CallTimeout}). The run's signal gets one
 * listener for all the calls of the run ({@link RunningCalls}), which aborts those still running.
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

/** The calls of one run still running, aborted together when the run is. */
export class RunningCalls {
  readonly #run: AbortSignal;
  readonly #running = new Set<CallAbort>();
  readonly #onRunAbort = () => {
    for (const call of this.#running) call.abort(this.#run.reason);
  };

  constructor(run: AbortSignal) {
    this.#run = run;
    run.addEventListener('abort', this.#onRunAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#run;
  }

  /** A call starts: its abort side, already aborted if the run is. */
  start(timeoutMs: number): CallAbort {
    const call = new CallAbort(timeoutMs, () => this.#running.delete(call));
    if (this.#run.aborted) call.abort(this.#run.reason);
    else this.#running.add(call);
    return call;
  }

  /** The run is over: stop listening to its signal. */
  close(): void {
    this.#run.removeEventListener('abort', this.#onRunAbort);
  }
}

export class CallAbort {
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  readonly #ended: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `timeoutMs` 0: no limit. */
  constructor(timeoutMs: number, ended: () => void) {
    this.#timeoutMs = timeoutMs;
    this.#ended = ended;
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

  abort(reason: unknown): void {
    this.#controller.abort(reason);
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
    if (ms > 0) this.#timer = setTimeout(() => this.abort(new CallTimeout(ms)), ms);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort); // removed when the promise settles
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

  /** The call is over: stop the clock; a later abort of the run no longer reaches it. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#ended();
  }
}
