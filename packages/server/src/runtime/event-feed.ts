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

export async function* eventFeed(source: FeedSource): AsyncGenerator<StoredEvent> {
  const { id, store, log } = source;
  let last = source.afterSeq;

  if (!log) {
    if (!store) return;
    for (;;) {
      const page = await store.listEvents(id, last, PAGE);
      for (const e of page) {
        if (e.seq > last) {
          last = e.seq;
          yield e;
        }
      }
      if (page.length < PAGE || source.signal?.aborted) return;
    }
  }

  // Subscribe first (synchronously with the buffer snapshot), so nothing appended from now on is missed.
  const queue: StoredEvent[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const onAbort = () => {
    ended = true;
    queue.length = 0;
    wake?.();
  };
  source.signal?.addEventListener('abort', onAbort, { once: true });
  const sub = log.subscribe(
    last,
    (e) => {
      queue.push(e);
      wake?.();
    },
    () => {
      ended = true;
      wake?.();
    },
  );
  try {
    // Everything up to the buffer's start is in the store (the buffer only drops what was written).
    const firstBuffered = sub.backlog[0]?.seq ?? log.lastSeq + 1;
    if (store && last + 1 < firstBuffered) {
      for (;;) {
        const page = await store.listEvents(id, last, PAGE);
        for (const e of page) {
          if (e.seq > last && e.seq < firstBuffered) {
            last = e.seq;
            yield e;
          }
        }
        if (page.length < PAGE || last + 1 >= firstBuffered) break;
      }
    }
    for (const e of sub.backlog) {
      if (source.signal?.aborted) return;
      if (e.seq > last) {
        last = e.seq;
        yield e;
      }
    }
    for (;;) {
      while (queue.length > 0) {
        const e = queue.shift() as StoredEvent;
        if (e.seq > last) {
          last = e.seq;
          yield e;
        }
      }
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    sub.unsubscribe();
    source.signal?.removeEventListener('abort', onAbort);
  }
}
