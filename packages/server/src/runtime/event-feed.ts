/**
 * An interaction's events after a cursor, as one ordered sequence: the stored log, then (while the run is
 * live in this process) the in-memory tail and the live feed. Events are deduplicated and ordered by `seq`,
 * so a reader joining at any moment sees every event exactly once.
 */
import type { Store, StoredEvent } from '../store/store.ts';
import type { InteractionLog } from './interaction-log.ts';

/** Events read from the store per query while replaying a long log. */
const PAGE = 500;

export interface FeedSource {
  id: string;
  /** `undefined` for a `store:false` interaction: everything comes from the live log. */
  store: Store | undefined;
  /** The live log when the run is still going in this process. */
  log: InteractionLog | undefined;
  /** Start after this seq (0 = from the beginning). */
  afterSeq: number;
  /** Stops the feed (e.g. the client disconnected) even while it waits for the next live event. */
  signal?: AbortSignal;
}

export function eventFeed(source: FeedSource): AsyncIterableIterator<StoredEvent> {
  if (source.log) return new LiveFeed(source, source.log);
  return storedFeed(source.id, source.store, source.afterSeq, Number.POSITIVE_INFINITY, source.signal);
}

/** The stored events with `afterSeq < seq < beforeSeq`, a page at a time. */
async function* storedFeed(
  id: string,
  store: Store | undefined,
  afterSeq: number,
  beforeSeq: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<StoredEvent> {
  if (!store) return;
  let last = afterSeq;
  for (;;) {
    const page = await store.listEvents(id, last, PAGE);
    for (const e of page) {
      if (e.seq <= last || e.seq >= beforeSeq) continue;
      last = e.seq;
      yield e;
    }
    if (page.length < PAGE || last + 1 >= beforeSeq || signal?.aborted) return;
  }
}

/** What a reader does with one event: nothing more to wait for, or a promise to await before the next. */
export type EventSink = (event: StoredEvent) => Promise<void> | undefined;

/**
 * The feed of a run live in this process: what the store holds before the log's in-memory buffer, the
 * buffer, then each event as the log appends it. Read it with `for await`, or hand each event to a sink
 * with {@link LiveFeed.deliverTo}, which calls it from the log's append itself: a streamed answer passes
 * thousands of events through here, and an async generator's yield costs several promises and microtask
 * turns per event where the sink costs none.
 */
export class LiveFeed implements AsyncIterableIterator<StoredEvent> {
  readonly #signal: AbortSignal | undefined;
  readonly #unsubscribe: () => void;
  /** The stored events before the buffer, while there are any to read. */
  #stored: AsyncIterator<StoredEvent> | undefined;
  /** The buffer at subscription, then the live events not taken yet, in `seq` order from `#next`. */
  #queue: StoredEvent[];
  #next = 0;
  #last: number;
  /** The log ended (all its events are in `#queue`). */
  #ended = false;
  /** The reader stopped or the signal aborted: nothing more is delivered. */
  #closed = false;
  /** Wakes a reader waiting for the next event, the end, or the abort. */
  #wake: (() => void) | undefined;
  /** Set while `deliverTo` takes live events straight from the log. */
  #push: ((event: StoredEvent) => void) | undefined;
  /** What the sink returned when it could take no more, for `deliverTo` to await. */
  #sinkFull: Promise<void> | undefined;
  #pushError: unknown;

  constructor(source: FeedSource, log: InteractionLog) {
    this.#signal = source.signal;
    this.#last = source.afterSeq;
    // Subscribe first (synchronously with the buffer snapshot), so nothing appended from now on is missed.
    const sub = log.subscribe(
      source.afterSeq,
      (e) => {
        if (this.#push) this.#push(e);
        else {
          this.#queue.push(e);
          this.#wake?.();
        }
      },
      () => {
        this.#ended = true;
        this.#wake?.();
      },
    );
    this.#unsubscribe = sub.unsubscribe;
    this.#queue = sub.backlog;
    // Everything up to the buffer's start is in the store (the buffer only drops what was written).
    const firstBuffered = sub.backlog[0]?.seq ?? log.lastSeq + 1;
    if (source.store && source.afterSeq + 1 < firstBuffered) {
      this.#stored = storedFeed(source.id, source.store, source.afterSeq, firstBuffered, source.signal);
    }
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<StoredEvent>> {
    const stored = await this.#nextStored();
    if (stored) return { value: stored, done: false };
    for (;;) {
      const e = this.#take();
      if (e) return { value: e, done: false };
      if (this.#closed || this.#ended) {
        this.#close();
        return { value: undefined, done: true };
      }
      await this.#waitForWake();
    }
  }

  /** The reader stopped early (`break` in a `for await`): stop listening. */
  async return(): Promise<IteratorResult<StoredEvent>> {
    await this.#stored?.return?.();
    this.#close();
    return { value: undefined, done: true };
  }

  /**
   * Hands every event to `sink`, in order, until the log ends or the signal aborts. Once caught up, a live
   * event reaches the sink from inside the log's append; while a promise the sink returned is pending, events
   * queue up and follow when it settles. Resolves when the feed ends; rejects with what the sink threw.
   */
  async deliverTo(sink: EventSink): Promise<void> {
    try {
      for (let e = await this.#nextStored(); e; e = await this.#nextStored()) await sink(e);
      for (;;) {
        for (let e = this.#take(); e; e = this.#take()) {
          const wait = sink(e);
          if (wait) await wait;
        }
        if (this.#closed || this.#ended) return;
        this.#push = (e) => this.#pushLive(e, sink);
        await this.#waitForWake();
        this.#push = undefined;
        if (this.#pushError !== undefined) throw this.#pushError;
        const full = this.#sinkFull;
        this.#sinkFull = undefined;
        if (full) await full;
      }
    } finally {
      this.#push = undefined;
      this.#close();
    }
  }

  #pushLive(e: StoredEvent, sink: EventSink): void {
    if (this.#closed || e.seq <= this.#last) return;
    this.#last = e.seq;
    let wait: Promise<void> | undefined;
    try {
      wait = sink(e);
    } catch (error) {
      // Thrown to the reader, never into the run that appended the event.
      this.#pushError = error;
      this.#close();
      this.#wake?.();
      return;
    }
    if (!wait) return;
    // The sink is full: what follows queues up until `deliverTo` has waited for it.
    this.#push = undefined;
    this.#sinkFull = wait;
    this.#wake?.();
  }

  async #nextStored(): Promise<StoredEvent | undefined> {
    if (!this.#stored) return undefined;
    const r = await this.#stored.next();
    if (r.done || this.#closed) {
      this.#stored = undefined;
      return undefined;
    }
    this.#last = r.value.seq;
    return r.value;
  }

  /** The next queued event not seen yet, if any. */
  #take(): StoredEvent | undefined {
    if (this.#closed) return undefined;
    while (this.#next < this.#queue.length) {
      const e = this.#queue[this.#next++] as StoredEvent;
      if (e.seq <= this.#last) continue;
      this.#last = e.seq;
      // Drop what was taken once all of it is (a long stream must not keep every event).
      if (this.#next === this.#queue.length) {
        this.#queue.length = 0;
        this.#next = 0;
      }
      return e;
    }
    return undefined;
  }

  #waitForWake(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = () => {
        this.#wake = undefined;
        resolve();
      };
    });
  }

  readonly #onAbort = (): void => {
    this.#close();
    this.#wake?.();
  };

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    this.#next = 0;
    this.#unsubscribe();
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }
}
