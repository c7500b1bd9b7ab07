/**
 * The event log of one running interaction. Events get their `seq`/`event_id` here, reach live subscribers at
 * once, and are written to the store in small batches (one write per tick at most, never one per delta).
 *
 * Only events not yet persisted stay in memory; a reader joining late replays the store, then this buffer,
 * then the live feed — deduplicated by `seq`, so nothing is skipped or sent twice (see event-feed.ts).
 *
 * A log can start *held*: nothing is written until `release()` (then it catches up) or `discardHeld()` (the run
 * was stored without a log — see interaction-runner.ts).
 */
import type { CanonicalEvent } from '@interplay/protocol';
import type { Logger } from 'pino';
import type { Store, StoredEvent } from '../store/store.ts';
import { eventIdFor } from './ids.ts';

export type EventListener = (event: StoredEvent) => void;

/** Flush when this many events are waiting, even within one tick. */
const MAX_BATCH = 256;

export class InteractionLog {
  readonly id: string;
  readonly #store: Store | undefined;
  readonly #logger: Logger | undefined;
  #seq: number;
  /** Highest seq known to be in the store. */
  #persistedSeq: number;
  /** Events with seq > #persistedSeq (for a log without store: every event). */
  #buffer: StoredEvent[] = [];
  #queuedFrom = 0;
  #flushScheduled = false;
  #writing: Promise<void> | undefined;
  /** Made by the first subscriber: most logs (unary creates) never have one. */
  #listeners: Set<EventListener> | undefined;
  #endListeners: Set<() => void> | undefined;
  #ended = false;
  /** Set when the interaction was deleted: keep feeding subscribers, stop writing. */
  #detached = false;
  /** Events are kept, not written, until `release()` or `discardHeld()`. */
  #held: boolean;

  /**
   * @param store where to persist; `undefined` for `store:false` interactions (nothing is written anywhere).
   * @param options.startSeq seq of the last event already in the store (0 for a new interaction).
   * @param options.held start held (the interaction's row is not in the store yet).
   */
  constructor(
    id: string,
    store: Store | undefined,
    logger?: Logger,
    options: { startSeq?: number; held?: boolean } = {},
  ) {
    const startSeq = options.startSeq ?? 0;
    this.id = id;
    this.#store = store;
    this.#logger = logger;
    this.#seq = startSeq;
    this.#persistedSeq = startSeq;
    this.#queuedFrom = startSeq;
    this.#held = options.held === true && store !== undefined;
  }

  get lastSeq(): number {
    return this.#seq;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get persistent(): boolean {
    return this.#store !== undefined && !this.#detached;
  }

  /** Assign the next seq and `event_id`, notify subscribers, queue the write. */
  append(event: CanonicalEvent): StoredEvent {
    if (this.#ended) throw new Error(`event log of ${this.id} has ended`);
    const seq = ++this.#seq;
    const eventId = eventIdFor(seq);
    (event as { event_id?: string }).event_id = eventId;
    const stored: StoredEvent = { seq, eventId, event };
    this.#buffer.push(stored);
    if (this.persistent && !this.#held) this.#scheduleFlush();
    if (this.#listeners) for (const listener of this.#listeners) listener(stored);
    return stored;
  }

  /**
   * Subscribe to events after `afterSeq`. Returns the buffered events after `afterSeq` (in order) and starts
   * calling `onEvent` for every later one, synchronously with `append`. `onEnd` runs once after the last event.
   */
  subscribe(
    afterSeq: number,
    onEvent: EventListener,
    onEnd: () => void,
  ): { backlog: StoredEvent[]; persistedSeq: number; unsubscribe: () => void } {
    const backlog = this.#buffer.filter((e) => e.seq > afterSeq);
    const persistedSeq = this.#persistedSeq;
    if (this.#ended) {
      queueMicrotask(onEnd);
      return { backlog, persistedSeq, unsubscribe: () => {} };
    }
    this.#listeners ??= new Set();
    this.#endListeners ??= new Set();
    const listeners = this.#listeners;
    const endListeners = this.#endListeners;
    listeners.add(onEvent);
    endListeners.add(onEnd);
    return {
      backlog,
      persistedSeq,
      unsubscribe: () => {
        listeners.delete(onEvent);
        endListeners.delete(onEnd);
      },
    };
  }

  /** No more events: wake subscribers so they can send `[DONE]`. Persistence continues until `flushed()`. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const ends = this.#endListeners;
    this.#listeners = undefined;
    this.#endListeners = undefined;
    if (ends) for (const onEnd of ends) onEnd();
  }

  /** Stop persisting (the interaction was deleted); live subscribers still get events. */
  detach(): void {
    this.#detached = true;
  }

  /** Resolves when every event appended so far is in the store (or could not be written). Not while held. */
  async flushed(): Promise<void> {
    if (this.persistent && !this.#held && this.#queuedFrom < this.#seq) this.#flush();
    await this.#writing;
  }

  /** The events not written yet: every event of a held log, or of a log without store. */
  get buffered(): readonly StoredEvent[] {
    return this.#buffer;
  }

  /**
   * Stop holding: run `before` (e.g. insert the interaction's row), then write everything kept so far, and
   * from now on write as usual. When `before` fails, nothing more is written (as for a deleted interaction).
   */
  release(before: () => Promise<void>): void {
    if (!this.#held) return;
    this.#held = false;
    this.#writing = this.#whenWritten().then(async () => {
      try {
        await before();
      } catch (err) {
        this.#detached = true;
        this.#logger?.warn({ err, interaction: this.id }, 'could not persist the interaction');
      }
    });
    this.#flush();
  }

  /**
   * Stop holding and drop every event kept so far, never to be written: the run is stored without a log (its
   * replay is derived from the final state, derived-log.ts). For a log that has ended.
   */
  discardHeld(): void {
    this.#held = false;
    this.#buffer = [];
    this.#persistedSeq = this.#seq;
    this.#queuedFrom = this.#seq;
  }

  /** The writes queued so far, done (a log that never wrote has no promise to wait on). */
  #whenWritten(): Promise<void> {
    return this.#writing ?? Promise.resolve();
  }

  #scheduleFlush(): void {
    if (this.#seq - this.#queuedFrom >= MAX_BATCH) {
      this.#flush();
      return;
    }
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    const store = this.#store;
    if (!store || this.#detached) return;
    const from = this.#queuedFrom;
    const batch = this.#buffer.filter((e) => e.seq > from);
    if (batch.length === 0) return;
    const upTo = (batch.at(-1) as StoredEvent).seq;
    this.#queuedFrom = upTo;
    this.#writing = this.#whenWritten().then(async () => {
      if (this.#detached) return;
      try {
        // The log counts its own seqs (one writer per interaction), so the store need not look them up.
        await store.appendEvents(
          this.id,
          batch.map((e) => ({ eventId: e.eventId, event: e.event })),
          (batch[0] as StoredEvent).seq,
        );
      } catch (err) {
        // A deleted interaction (or a closed store at shutdown): nothing more can be stored for it.
        this.#detached = true;
        this.#logger?.warn({ err, interaction: this.id }, 'could not persist interaction events');
        return;
      }
      this.#persistedSeq = upTo;
      // Drop what the store now holds; readers find it there.
      let drop = 0;
      while (drop < this.#buffer.length && (this.#buffer[drop] as StoredEvent).seq <= upTo) drop++;
      if (drop > 0) this.#buffer.splice(0, drop);
    });
  }
}
