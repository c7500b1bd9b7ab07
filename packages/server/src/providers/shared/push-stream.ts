/**
 * A stream its producer pushes into (undici's response handler, a timer) and its reader either pulls
 * with `for await` or has pushed to with {@link PushStream.deliverTo}. Handed to the engine, a provider's events
 * take the second way: each reaches the step writer from inside the producer's callback, where an async
 * iterator costs a promise and a microtask turn per event at every layer it passes (a streamed answer passes
 * thousands of events).
 *
 * States: `open` → `ended` (the producer's `end`), `failed` (its `fail`, the signal's abort, or the reader's
 * callback throwing) or `stopped` (the reader's `return`). Only `open` takes events.
 *
 * @example
 * const events = new PushStream<ProviderEvent>(signal);
 * events.onStop(() => body.destroy()); // the reader went away: stop producing
 * body.on('data', (chunk) => events.push({ type: 'text', text: String(chunk) }));
 * body.on('end', () => events.end());
 * body.on('error', (error) => events.fail(error));
 * return events; // for await (const e of events) …, or: await events.deliverTo((e) => …)
 */
export class PushStream<T> implements AsyncIterableIterator<T> {
  readonly #signal: AbortSignal;
  #state: 'open' | 'ended' | 'failed' | 'stopped' = 'open';
  #error: unknown;
  /** Pushed events the reader has not taken yet, from `#next`. */
  #queue: T[] = [];
  #next = 0;
  /** Set while `deliverTo` takes events as they are pushed. */
  #deliver: ((event: T) => void) | undefined;
  /** Wakes a reader waiting for the next event or the end. */
  #wake: (() => void) | undefined;
  #onStop: (() => void) | undefined;

  constructor(signal: AbortSignal) {
    this.#signal = signal;
    if (signal.aborted) this.#settle('failed', signal.reason, false);
    else signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Whether events are still taken: the producer stops producing once this is false. */
  get open(): boolean {
    return this.#state === 'open';
  }

  /** Called once when the stream closes before its producer ended it (the reader stopped, an abort). */
  onStop(listener: () => void): void {
    this.#onStop = listener;
  }

  /** The producer's next event. Ignored once the stream is not open. */
  push(event: T): void {
    if (this.#state !== 'open') return;
    const deliver = this.#deliver;
    if (!deliver) {
      this.#queue.push(event);
      this.#wake?.();
      return;
    }
    try {
      deliver(event);
    } catch (error) {
      // The reader's failure goes to the reader (`deliverTo` rejects), never into the producer's callback.
      this.#settle('failed', error, false);
    }
  }

  /** The producer has nothing more. */
  end(): void {
    this.#settle('ended', undefined, true);
  }

  /** The producer failed: the reader gets `error` after the events pushed before it. */
  fail(error: unknown): void {
    this.#settle('failed', error, true);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    const event = this.#take();
    if (event !== undefined) return Promise.resolve({ value: event, done: false });
    if (this.#state === 'failed') return Promise.reject(this.#error);
    if (this.#state !== 'open') return Promise.resolve({ value: undefined, done: true });
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
    }).then(() => this.next());
  }

  /** The reader stopped early (`break` in a `for await`): the producer is told to stop. */
  return(): Promise<IteratorResult<T>> {
    this.#settle('stopped', undefined, false);
    return Promise.resolve({ value: undefined, done: true });
  }

  /**
   * Hands every event to `take`, in order: those queued at once, then each from inside `push`. Resolves when
   * the producer ends; rejects with what it failed with (or the abort's reason, or what `take` threw).
   */
  async deliverTo(take: (event: T) => void): Promise<void> {
    try {
      for (let e = this.#take(); e !== undefined; e = this.#take()) take(e);
    } catch (error) {
      this.#settle('failed', error, false);
    }
    if (this.#state === 'open') {
      this.#deliver = take;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#deliver = undefined;
    }
    if (this.#state === 'failed') throw this.#error;
  }

  #take(): T | undefined {
    if (this.#next === this.#queue.length) return undefined;
    const event = this.#queue[this.#next++] as T;
    if (this.#next === this.#queue.length) {
      this.#queue = [];
      this.#next = 0;
    }
    return event;
  }

  readonly #onAbort = (): void => {
    this.#settle('failed', this.#signal.reason, false);
  };

  /** `byProducer`: the producer ended or failed it, and stops by itself; otherwise it is told to stop. */
  #settle(state: 'ended' | 'failed' | 'stopped', error: unknown, byProducer: boolean): void {
    if (this.#state !== 'open') return;
    this.#state = state;
    this.#error = error;
    this.#signal.removeEventListener('abort', this.#onAbort);
    if (!byProducer) {
      // Nobody reads what is left: drop it, and stop the producer.
      this.#queue = [];
      this.#next = 0;
      this.#onStop?.();
    }
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/**
 * A PushStream that `produce` pushes into: it ends when `produce` resolves and fails with what it rejects with.
 *
 * @example
 * return producedBy<ProviderEvent>(signal, async (events) => {
 *   await readUpstreamSse(call, { get open() { return events.open; }, onStop: (l) => events.onStop(l), push });
 * });
 */
export function producedBy<T>(
  signal: AbortSignal,
  produce: (stream: PushStream<T>) => Promise<void>,
): PushStream<T> {
  const stream = new PushStream<T>(signal);
  produce(stream).then(
    () => stream.end(),
    (error: unknown) => stream.fail(error),
  );
  return stream;
}
