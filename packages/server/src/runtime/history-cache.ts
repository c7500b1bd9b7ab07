/**
 * The full history of recently finished stored interactions, in memory, so turn N of a chain does not read
 * and parse the N-1 turns before it from the store: history(X) = history(previous(X)) ++ X's input ++ X's
 * output, filled when X is stored, read before `store.loadChain`.
 *
 * What it holds must read exactly as the store would: an entry remembers the ids its items come from and their
 * earliest expiry, so deleting any of them drops every entry that contains it, and an entry past that expiry
 * is never returned (the store's chain would end there). Every turn continuing a chain shares its entry, so
 * the items are frozen (deeply); the arrays are read-only by contract (`readonly`) but not frozen — V8 reads
 * the elements of a frozen array several times slower, and every provider walks them. Bounded by entries,
 * total items and approximate bytes; least recently used first out, a history superseded by its chain's next
 * turn before any other (`retire`): one place per live conversation. It assumes this process is the only writer
 * of the database (as startup recovery does).
 *
 * A chain read from the store is admitted only when the cache is likely to be hit by its next turn (see
 * `admits`): with more live conversations than entries, every turn would otherwise freeze and copy its whole
 * history into an entry that is evicted before that chain comes back, and keep a thousand such histories alive
 * for the garbage collector to mark.
 */
import type { Item } from '@interplay/protocol';
import type { HistoryChain } from '../store/store.ts';
import { deepFreeze } from './deep-freeze.ts';
import { evictOldest, overflowBatch } from './evict-oldest.ts';

export interface HistoryCacheOptions {
  /**
   * Interactions whose history is kept: one per live conversation (a history its chain's next turn superseded
   * is evicted first, while there is room kept for a retry or a branch). Default 1,000.
   */
  maxEntries?: number;
  /** Items over all entries (an item shared by several entries counts in each). Default 250,000. */
  maxItems?: number;
  /** Approximate bytes of text over all entries, counted like `maxItems`. Default 64 MiB. */
  maxBytes?: number;
}

/** The history of one interaction: its chain's items, the ids they come from, until when it reads so. */
export interface CachedHistory {
  readonly owner: string | null;
  readonly items: readonly Item[];
  readonly ids: readonly string[];
  readonly expiresAt: number;
  /** Approximate size of `items` (string lengths plus a little per object). */
  readonly bytes: number;
}

/** The history before the first interaction of a chain. */
export const NO_HISTORY: CachedHistory = Object.freeze({
  owner: null,
  items: [],
  ids: [],
  expiresAt: Number.POSITIVE_INFINITY,
  bytes: 0,
});

export class HistoryCache {
  readonly #maxEntries: number;
  readonly #maxItems: number;
  readonly #maxBytes: number;
  /** The histories chains are continued from. Insertion order is recency order: a hit moves its entry to the end. */
  readonly #entries = new Map<string, CachedHistory>();
  /**
   * Histories a later turn of their chain has superseded (`retire`), kept for a turn that continues them again
   * (a retry, a branch) while there is room, and evicted before any entry of `#entries`: a chain's next turn
   * continues its newest interaction, so one place per live conversation is what the cache is for.
   */
  readonly #superseded = new Map<string, CachedHistory>();
  /** First ids of the chains read from the store most recently (insertion order, at most `maxEntries`). */
  readonly #missed = new Set<string>();
  #items = 0;
  #bytes = 0;

  constructor(options: HistoryCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 1_000;
    this.#maxItems = options.maxItems ?? 250_000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  /** Histories held, superseded ones included. */
  get size(): number {
    return this.#entries.size + this.#superseded.size;
  }

  /** Total items held (for tests and diagnostics). */
  get items(): number {
    return this.#items;
  }

  /** The history of `id` when known, owned by `owner`, and still what the store would read at `now`. */
  get(id: string, owner: string | null, now: number): CachedHistory | undefined {
    const live = this.#entries.get(id);
    const entry = live ?? this.#superseded.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt < now) {
      this.#remove(id, entry);
      return undefined;
    }
    if (entry.owner !== owner) return undefined;
    // Continued again: it is a live conversation's place once more.
    if (live) this.#entries.delete(id);
    else this.#superseded.delete(id);
    this.#entries.set(id, entry);
    return entry;
  }

  /**
   * Whether the chain beginning at `rootId`, just read from the store, should be kept once its turn ends: while
   * the cache has room for another conversation (superseded histories give theirs up), or when the same chain
   * was read from the store within about the last `maxEntries` reads (the oldest sixteenth is forgotten at
   * once, see evict-oldest.ts) — it comes back faster than the cache turns over, so an entry for it will be
   * hit. Chains continued in turn with more others than the cache holds are not kept: their entry would be
   * evicted unused. Counts the read.
   */
  admits(rootId: string): boolean {
    const recent = this.#missed.delete(rootId);
    this.#missed.add(rootId);
    evictOldest(this.#missed, overflowBatch(this.#missed.size, this.#maxEntries));
    return this.#maxEntries > 0 && (recent || this.#entries.size < this.#maxEntries);
  }

  /** Keep `entry` as the history of `id` (replacing any), then evict down to the limits. */
  set(id: string, entry: CachedHistory): void {
    const old = this.#entries.get(id) ?? this.#superseded.get(id);
    if (old) this.#remove(id, old);
    if (this.#maxEntries < 1 || entry.items.length > this.#maxItems || entry.bytes > this.#maxBytes) return;
    this.#entries.set(id, entry);
    this.#items += entry.items.length;
    this.#bytes += entry.bytes;
    this.#evict(this.#superseded);
    this.#evict(this.#entries);
  }

  /**
   * The history of `id` is superseded by its continuation's, about to be kept: it gives up its place among the
   * live conversations and is evicted first (see `#superseded`). Without this a chain took two places, its
   * newest history and the one before, and a cache of 1,000 entries thrashed with 600 conversations.
   */
  retire(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#superseded.set(id, entry);
  }

  /** `id` was deleted: forget it and every history that contains its items. */
  delete(id: string): void {
    for (const entries of [this.#entries, this.#superseded]) {
      for (const [key, entry] of entries) {
        if (key === id || entry.ids.includes(id)) this.#remove(key, entry);
      }
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#superseded.clear();
    this.#missed.clear();
    this.#items = 0;
    this.#bytes = 0;
  }

  /** Drops the oldest of `entries` while over a limit. */
  #evict(entries: Map<string, CachedHistory>): void {
    for (const [oldest, e] of entries) {
      if (this.size <= this.#maxEntries && this.#items <= this.#maxItems && this.#bytes <= this.#maxBytes)
        break;
      this.#remove(oldest, e);
    }
  }

  #remove(id: string, entry: CachedHistory): void {
    if (this.#entries.get(id) === entry) this.#entries.delete(id);
    else if (this.#superseded.get(id) === entry) this.#superseded.delete(id);
    else return;
    this.#items -= entry.items.length;
    this.#bytes -= entry.bytes;
  }
}

/**
 * The history of `id` given its previous interaction's: `parent.items ++ own`. Freezes the items of `own`
 * (deeply): from now on they are shared by every turn that continues from `id`.
 */
export function extendHistory(
  parent: CachedHistory,
  id: string,
  owner: string | null,
  own: readonly Item[],
  expiresAt: number,
): CachedHistory {
  let bytes = parent.bytes;
  for (const item of own) {
    bytes += approximateBytes(item);
    deepFreeze(item);
  }
  return Object.freeze({
    owner,
    items: parent.items.concat(own),
    ids: parent.ids.concat([id]),
    expiresAt: Math.min(parent.expiresAt, expiresAt),
    bytes,
  });
}

/**
 * A history read from the store; its items frozen when `shared` (it may go into the cache and be handed to
 * later turns), else left as parsed: a history used by one turn only need not be walked to freeze it. Its size
 * is the length of the JSON text it was parsed from (`HistoryChain.bytes`), close enough to `approximateBytes`
 * to bound memory, and known without walking the items again.
 */
export function storedHistory(owner: string | null, chain: HistoryChain, shared = true): CachedHistory {
  if (shared) for (const item of chain.items) deepFreeze(item);
  return Object.freeze({
    owner,
    items: chain.items,
    ids: chain.ids,
    expiresAt: chain.expiresAt,
    bytes: chain.bytes,
  });
}

/** String lengths plus 16 per object/array and 8 per other value: enough to bound memory, not exact. */
export function approximateBytes(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value === null || typeof value !== 'object') return 8;
  let n = 16;
  if (Array.isArray(value)) {
    for (const v of value) n += approximateBytes(v);
  } else {
    for (const key in value) n += key.length + approximateBytes((value as Record<string, unknown>)[key]);
  }
  return n;
}
