/**
 * The event log of one running interaction. Events get their `seq`/`event_id` here and reach live subscribers
 * at once. A stored interaction's log also makes its writes, one after another:
 * 1. its row, when the run starts;
 * 2. its events, in batches: a batch is written at most {@link FLUSH_WINDOW_MS} after its first event, or at
 *    once when {@link MAX_BATCH} events wait — a few writes a second per stream instead of one per delta;
 * 3. its end: the last events and the final state, in one transaction. Subscribers get those last events
 *    once they are written, so whoever sees an interaction end can read its final state from the store.
 *
 * Only events not written yet stay in memory; a reader joining late replays the store, then this buffer,
 * then the live feed — deduplicated by `seq`, so nothing is skipped or sent twice (see event-feed.ts).
 */
import type { CanonicalEvent } from '@interplay/protocol';
import type { Logger } from 'pino';
import {
  type InteractionPatch,
  type InteractionRecord,
  type NewEvent,
  type Store,
  type StoredEvent,
  StoreError,
} from '../store/store.ts';
import { eventIdFor } from './ids.ts';

export type EventListener = (event: StoredEvent) => void;

/** Where a stored interaction's log is written. */
export type StoredLog = { store: Store; onLost?: () => void } & (
  | { row: InteractionRecord }
  /** A log already stored up to `after` (a run taken over): its events go on from there. */
  | { after: number }
);

const isLeaseLost = (err: unknown): boolean => err instanceof StoreError && err.code === 'lease_lost';

/** Write a batch when this many events are waiting, before its window is over. */
export const MAX_BATCH = 256;

/**
 * The longest the first unwritten event waits for more to join its batch. A model streams a delta every few
 * milliseconds: writing every turn of the event loop costs one store write per delta, while live readers get
 * each event at once anyway (from memory) and a reader joining late replays the store, then the unwritten
 * buffer. What this bounds is what a crash of the process loses of a running interaction's log.
 */
export const FLUSH_WINDOW_MS = 200;

export class InteractionLog {
  readonly id: string;
  /**
   * Resolves `true` once the interaction's row is in the store (at once without a store), `false` when it
   * could not be written: then nothing of this interaction is stored.
   */
  readonly created: Promise<boolean>;
  readonly #store: Store | undefined;
  readonly #logger: Logger;
  #seq = 0;
  /**
   * Events not in the store. Without a store: the events before the first reader subscribed, then none — a
   * `store:false` interaction cannot be looked up, so its creator's stream is the only reader it will ever
   * have, and keeping each event for the whole run would only give the garbage collector more to copy.
   */
  #buffer: StoredEvent[] = [];
  /** Whether appended events go into {@link #buffer} (see there). */
  #keep = true;
  /** Highest seq handed to a write. */
  #queuedFrom = 0;
  /** The pending batch's window, while one is open. */
  #flushTimer: NodeJS.Timeout | undefined;
  /** The event batch being written, if any (one at a time, in order); never rejects. */
  #writes: Promise<void> = Promise.resolve();
  /** A batch could not be written: the rest waits for the end, which writes everything unwritten at once. */
  #batchFailed = false;
  /** Live readers: each gets every event appended, then its `onEnd` once. */
  readonly #subscribers = new Set<{ onEvent: EventListener; onEnd: () => void }>();
  #ended = false;
  /** Set when the interaction was deleted: keep feeding subscribers, stop writing. */
  #detached = false;
  #rowWritten = false;
  /** Called when a write is refused because another replica runs the interaction now. */
  readonly #onLost: (() => void) | undefined;

  /**
   * @param stored where to write: with the row to write first, or (a run taken over from another replica)
   *   the seq its stored log goes on after. Absent for a `store:false` interaction (nothing is written).
   */
  constructor(id: string, logger: Logger, stored?: StoredLog) {
    this.id = id;
    this.#logger = logger;
    this.#store = stored?.store;
    this.#onLost = stored?.onLost;
    if (stored && 'after' in stored) {
      this.#seq = stored.after;
      this.#queuedFrom = stored.after;
      this.#rowWritten = true;
      this.created = Promise.resolve(true);
      return;
    }
    this.created = stored
      ? stored.store.createInteraction(stored.row).then(
          () => {
            this.#rowWritten = true;
            // Events that came before the row wait for their window from now (see #writing).
            if (this.#seq > this.#queuedFrom) this.#scheduleFlush();
            return true;
          },
          (err: unknown) => {
            this.#detached = true;
            logger.error({ err, interaction: id }, 'could not store the interaction');
            return false;
          },
        )
      : Promise.resolve(true);
  }

  get lastSeq(): number {
    return this.#seq;
  }

  /** Whether the interaction's row is in the store (`created` has resolved `true`). */
  get rowWritten(): boolean {
    return this.#rowWritten;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Assign the next seq and `event_id`, notify subscribers, queue the write. */
  append(event: CanonicalEvent): StoredEvent {
    if (this.#ended) throw new Error(`event log of ${this.id} has ended`);
    const seq = ++this.#seq;
    const eventId = eventIdFor(seq);
    (event as { event_id?: string }).event_id = eventId;
    const stored: StoredEvent = { seq, eventId, event };
    if (this.#keep) this.#buffer.push(stored);
    if (this.#writing) this.#scheduleFlush();
    for (const subscriber of this.#subscribers) subscriber.onEvent(stored);
    return stored;
  }

  /**
   * Subscribe to events after `afterSeq`. Returns the buffered events after `afterSeq` (in order) and starts
   * calling `onEvent` for every later one, synchronously with `append`. `onEnd` runs once after the last event.
   * Without a store, the first reader is the only one: a later one gets no backlog.
   */
  subscribe(
    afterSeq: number,
    onEvent: EventListener,
    onEnd: () => void,
  ): { backlog: StoredEvent[]; unsubscribe: () => void } {
    const backlog = this.#buffer.filter((e) => e.seq > afterSeq);
    if (this.#ended) {
      queueMicrotask(onEnd);
      return { backlog, unsubscribe: () => {} };
    }
    const subscriber = { onEvent, onEnd };
    this.#subscribers.add(subscriber);
    if (!this.#store) {
      // Its only reader has the backlog now (see #buffer).
      this.#keep = false;
      this.#buffer = [];
    }
    return {
      backlog,
      unsubscribe: () => {
        this.#subscribers.delete(subscriber);
      },
    };
  }

  /**
   * End the log with `last` (the run's closing events). With a store, they are written with `final` and every
   * event not written yet, in one transaction after the writes before it; subscribers get them once that is
   * done. Resolves `true` when written, `false` when there is nothing to write to (no store, a deleted
   * interaction, a row that was never written). Rejects when the write failed: the log is still open then,
   * and `end` may be called again (with other closing events).
   */
  async end(last: CanonicalEvent[], final: InteractionPatch): Promise<boolean> {
    if (this.#ended) throw new Error(`event log of ${this.id} has ended`);
    const closing = last.map((event, i): StoredEvent => {
      const seq = this.#seq + 1 + i;
      const eventId = eventIdFor(seq);
      (event as { event_id?: string }).event_id = eventId;
      return { seq, eventId, event };
    });
    let written = false;
    const store = this.#store;
    this.#cancelFlush();
    if (store && !this.#detached) {
      // The end writes whatever a batch still scheduled would have.
      this.#queuedFrom = this.#seq;
      await this.#writes;
      if (!this.#detached) {
        // A stored event is a NewEvent (the store reads its `event`): handed over as they are.
        const pending: readonly NewEvent[] = this.#buffer.concat(closing);
        const firstSeq = (this.#buffer[0] ?? closing[0])?.seq ?? this.#seq + 1;
        try {
          // Not after the row's own write: the store keeps the order of writes, and a run that ends at once
          // has its row, events and end committed together.
          await store.finishInteraction(this.id, final, pending, firstSeq);
          this.#buffer = [];
          written = true;
        } catch (err) {
          if (isLeaseLost(err)) {
            this.#lose();
          } else if (!(this.#detached && (await this.created))) {
            // (Deleted while the end was being written: nothing was to be written any more.)
            throw err;
          }
        }
      }
    }
    this.#seq += closing.length;
    if (!written) this.#buffer.push(...closing);
    this.#ended = true;
    for (const e of closing) for (const subscriber of this.#subscribers) subscriber.onEvent(e);
    for (const subscriber of this.#subscribers) subscriber.onEnd();
    this.#subscribers.clear();
    return written;
  }

  /** Stop writing (the interaction was deleted); live subscribers still get events. */
  detach(): void {
    this.#detached = true;
  }

  /**
   * End the log here without closing events or writes: another replica runs the interaction now (and writes
   * its end). Live subscribers here end; a client resumes with `last_event_id` and reads the rest there.
   */
  abandon(): void {
    if (this.#ended) return;
    this.#cancelFlush();
    this.#detached = true;
    this.#ended = true;
    for (const subscriber of this.#subscribers) subscriber.onEnd();
    this.#subscribers.clear();
  }

  #lose(): void {
    if (this.#detached) return;
    this.#detached = true;
    this.#logger.warn(
      { interaction: this.id },
      'another replica took the interaction over; stopping it here',
    );
    this.#onLost?.();
  }

  /**
   * Whether appended events are to be written in batches now. Not before the row is written: a batch could
   * only be written after it anyway, and a run that ends first (a model that answers at once) has its whole
   * log written with its end, so no window is ever opened for it.
   */
  get #writing(): boolean {
    return this.#rowWritten && !this.#detached && !this.#batchFailed;
  }

  #scheduleFlush(): void {
    if (this.#seq - this.#queuedFrom >= MAX_BATCH) {
      this.#cancelFlush();
      this.#flush();
      return;
    }
    if (this.#flushTimer) return;
    // Windows end on a shared clock (multiples of FLUSH_WINDOW_MS): the batches of every running interaction
    // are handed to the store in the same turn of the event loop, so they share one commit (group commit).
    const wait = FLUSH_WINDOW_MS - (Date.now() % FLUSH_WINDOW_MS);
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#flush();
    }, wait);
    // The end writes whatever is still waiting: a pending window never has to keep the process up.
    this.#flushTimer.unref();
  }

  #cancelFlush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
  }

  #flush(): void {
    const store = this.#store;
    if (!store || !this.#writing) return;
    const from = this.#queuedFrom;
    // The buffer is in seq order: what is not handed to a write yet is its tail.
    let start = this.#buffer.length;
    while (start > 0 && (this.#buffer[start - 1] as StoredEvent).seq > from) start--;
    const batch = this.#buffer.slice(start);
    if (batch.length === 0) return;
    const upTo = (batch.at(-1) as StoredEvent).seq;
    this.#queuedFrom = upTo;
    this.#writes = this.#writes.then(async () => {
      if (!this.#writing) return;
      try {
        // The log counts its own seqs (one writer per interaction), so the store need not look them up.
        await store.appendEvents(this.id, batch, (batch[0] as StoredEvent).seq);
      } catch (err) {
        if (isLeaseLost(err)) {
          this.#lose();
          return;
        }
        this.#batchFailed = true;
        this.#logger.warn(
          { err, interaction: this.id },
          'could not store interaction events; trying again at its end',
        );
        return;
      }
      // Drop what the store now holds; readers find it there.
      let drop = 0;
      while (drop < this.#buffer.length && (this.#buffer[drop] as StoredEvent).seq <= upTo) drop++;
      if (drop > 0) this.#buffer.splice(0, drop);
    });
  }
}
