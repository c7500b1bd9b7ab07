/**
 * The events of an interaction running on another replica (or nowhere, between a replica's death and the
 * takeover): the stored log after a cursor, then each batch as it is written — woken by the writer's
 * notice (LISTEN/NOTIFY), read from the store — until the log's `interaction.completed`. Every event comes
 * from the store in seq order, so a reader resuming with `last_event_id` gets nothing twice and misses
 * nothing, whichever replica it reads from.
 */
import type { Store, StoredEvent } from '../store/store.ts';

/** Events read from the store per query. */
const PAGE = 500;

/** Wakes a feed when its interaction's events change. */
export interface EventWatch {
  /**
   * Resolves at the next notice for the interaction (or at once if one came since the last call), after
   * `timeoutMs` (notices can be missed while the listening connection reconnects), or when `signal` aborts.
   */
  next(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  close(): void;
}

export interface RemoteFeedSource {
  id: string;
  store: Store;
  afterSeq: number;
  /** Subscribed before the first read, so a batch written after it is never missed. */
  watch: EventWatch;
  /** Whether the interaction is gone (deleted, expired): asked when a wait brought nothing new. */
  gone: () => Promise<boolean>;
  /** How long to wait for a notice before reading the store anyway. */
  pollMs: number;
  /** Stops the feed (the client went away), even while it waits. */
  signal?: AbortSignal;
}

export async function* remoteFeed(source: RemoteFeedSource): AsyncGenerator<StoredEvent> {
  const { id, store, watch, signal } = source;
  let last = source.afterSeq;
  try {
    for (;;) {
      let read = 0;
      for (;;) {
        const page = await store.listEvents(id, last, PAGE);
        for (const e of page) {
          last = e.seq;
          read += 1;
          yield e;
          if (e.event.event_type === 'interaction.completed') return;
        }
        if (page.length < PAGE) break;
      }
      if (signal?.aborted) return;
      if (read === 0 && (await source.gone())) return;
      await watch.next(source.pollMs, signal);
      if (signal?.aborted) return;
    }
  } finally {
    watch.close();
  }
}
