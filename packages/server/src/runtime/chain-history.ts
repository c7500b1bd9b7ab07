/**
 * The history a turn continues (`previous_interaction_id`): read from the in-memory cache of recent chains
 * (history-cache.ts) when it holds it, else from the store — and kept there for the next turn.
 *
 * Only turns that continue a chain are remembered when they finish: most first turns are never continued,
 * and caching each would keep every one-shot create alive in memory; the second turn of a chain reads its
 * first from the store (one row) and caches it. A history read from the store is cached, and the turn
 * continuing it remembered, only when the cache admits the chain (`HistoryCache.admits`: its next turn is
 * likely to find it); only then are its items frozen.
 */
import { InteractionsError, type Item } from '@interplay/protocol';
import type { HistoryChain, InteractionRecord, Store } from '../store/store.ts';
import {
  type CachedHistory,
  extendHistory,
  HistoryCache,
  type HistoryCacheOptions,
  NO_HISTORY,
  storedHistory,
} from './history-cache.ts';

export class ChainHistory {
  readonly #store: Store;
  readonly #cache: HistoryCache | undefined;
  /** Histories read from the store for one turn only: the turns continuing them are not remembered. */
  readonly #unshared = new WeakSet<CachedHistory>();

  /** `cache: false` turns the cache off: every turn reads its history from the store. */
  constructor(store: Store, cache?: HistoryCacheOptions | false) {
    this.#store = store;
    this.#cache = cache === false ? undefined : new HistoryCache(cache);
  }

  /** The cache (`undefined` when turned off), for diagnostics and tests. */
  get cache(): HistoryCache | undefined {
    return this.#cache;
  }

  /**
   * The history before a turn of `owner` that continues `previousId`, which must name a finished stored
   * interaction of theirs: `not_found` otherwise (expired, deleted, another key's), `failed_precondition`
   * while it is still running. The cache holds only finished interactions of the owner it names; from the
   * store, the check and the history come from the same read.
   */
  async continuing(previousId: string, owner: string | null): Promise<CachedHistory> {
    const cached = this.#cache?.get(previousId, owner, Date.now());
    if (cached) return cached;
    const chain = await this.#store.loadChain(previousId);
    if (!chain.head || chain.head.owner !== owner) {
      throw new InteractionsError('not_found', `Interaction '${previousId}' was not found.`, {
        field: 'previous_interaction_id',
      });
    }
    if (chain.head.status === 'in_progress' || chain.head.status === 'queued') {
      throw new InteractionsError(
        'failed_precondition',
        `Interaction '${previousId}' is still ${chain.head.status}; continue from it once it has finished.`,
        { field: 'previous_interaction_id' },
      );
    }
    return this.#keep(previousId, owner, chain);
  }

  /**
   * The history before a turn of `owner` that continues `previousId` (`NO_HISTORY` for a first turn), for a
   * turn already checked by `continuing` (a run resumed after a restart): as the store holds it now.
   */
  async before(previousId: string | undefined, owner: string | null): Promise<CachedHistory> {
    if (previousId === undefined) return NO_HISTORY;
    const cached = this.#cache?.get(previousId, owner, Date.now());
    if (cached) return cached;
    return this.#keep(previousId, owner, await this.#store.loadChain(previousId));
  }

  /** `record`, which continued `parent`, is stored in its final state: keep its history for the next turn. */
  remember(record: InteractionRecord, parent: CachedHistory): void {
    if (!this.#cache || parent === NO_HISTORY || this.#unshared.has(parent)) return;
    const input: readonly Item[] = Array.isArray(record.request.input) ? record.request.input : [];
    // Retired first: its place goes to the new entry rather than pushing out another conversation's.
    if (record.previousId !== undefined) this.#cache.retire(record.previousId);
    this.#cache.set(
      record.id,
      extendHistory(parent, record.id, record.owner, [...input, ...record.output], record.expiresAt),
    );
  }

  /**
   * A history read from the store: cached (its items frozen) when the cache admits its chain, else used by this
   * turn alone, as parsed, and the turn continuing it not remembered.
   */
  #keep(previousId: string, owner: string | null, chain: HistoryChain): CachedHistory {
    const root = chain.ids[0];
    const shared = root !== undefined && this.#cache?.admits(root) === true;
    const parent = storedHistory(owner, chain, shared);
    if (shared) this.#cache?.set(previousId, parent);
    else this.#unshared.add(parent);
    return parent;
  }

  /** `id` was deleted from the store: no history may contain it any more. */
  forget(id: string): void {
    this.#cache?.delete(id);
  }
}
