/**
 * The scripted model's input-token count of the history a turn continues, without counting every earlier turn
 * again at each turn. A history read from the store is new objects at every turn, so the count kept by item
 * (`countItemTokens`) does not find it; what stays the same is which interactions it comes from
 * (`ProviderRequest.history`). Their items never change once finished and an id is never reused, and a chain's
 * history is the unbroken run of ancestors ending at its last interaction (a deleted or expired one ends it),
 * so the last id and the number of ids name the same items every time: their count is kept under them.
 *
 * Turn N + 1 of a chain continues turn N, whose own request began with the history up to turn N - 1: that
 * count (remembered when turn N was answered) plus turn N's input and output is the new history's count. Only
 * the interaction's own items are counted at each turn, and the usage reported is the same as a full count.
 * Those are counted directly, not through `countItemTokens`' memo by item object: an entry there holds the
 * whole request (history included) for as long as its last item lives — a turn's input, which its record and
 * the history cache keep — so histories read from the store would outlive their turn and fill the old
 * generation (after a restart, counted with callgrind: major GC on every continued turn).
 *
 * @example
 * ```ts
 * const counts = new HistoryTokenCounts();
 * counts.count(items, { ids: ['v1_a', 'v1_b'], items: 4 }); // counts all items; remembers the first 4
 * counts.count(next, { ids: ['v1_a', 'v1_b', 'v1_c'], items: 6 }); // counts next[4..] only
 * ```
 */

import { evictOldest, overflowBatch } from '../../runtime/evict-oldest.ts';
import type { ProviderHistory } from '../provider.ts';
import { countItemTokens, countTokens } from './tokens.ts';

interface Counted {
  /** How many interactions the counted history comes from (ending with the id it is kept under). */
  ids: number;
  /** How many items, from the first, they hold. */
  items: number;
  tokens: number;
}

export class HistoryTokenCounts {
  readonly #max: number;
  /** By the id of the history's last interaction; insertion order, the oldest dropped first. */
  readonly #counts = new Map<string, Counted>();

  /** `max`: histories remembered (about 150 bytes each); the default holds 10,000 live conversations. */
  constructor(max = 10_000) {
    this.#max = max;
  }

  /** Histories remembered (for tests). */
  get size(): number {
    return this.#counts.size;
  }

  /** `countItemTokens(items)`, where the first `history.items` of `items` are the items of `history.ids`. */
  count(items: readonly unknown[], history: ProviderHistory | undefined): number {
    const ids = history?.ids;
    if (history === undefined || ids === undefined || ids.length === 0 || history.items > items.length) {
      return countItemTokens(items);
    }
    const last = ids[ids.length - 1] as string;
    const known = this.#known(ids, history.items);
    let tokens = known?.tokens ?? 0;
    if (known?.ids !== ids.length) {
      for (let i = known?.items ?? 0; i < history.items; i++) tokens += countTokens(items[i]);
      this.#remember(last, { ids: ids.length, items: history.items, tokens });
    }
    for (let i = history.items; i < items.length; i++) tokens += countTokens(items[i]);
    return tokens;
  }

  /** The count of the whole history (the same one asked again), else of all of it but its last interaction. */
  #known(ids: readonly string[], items: number): Counted | undefined {
    for (let n = ids.length; n >= ids.length - 1 && n >= 1; n--) {
      const counted = this.#counts.get(ids[n - 1] as string);
      if (counted?.ids === n && counted.items <= items) return counted;
    }
    return undefined;
  }

  #remember(id: string, counted: Counted): void {
    this.#counts.delete(id);
    this.#counts.set(id, counted);
    evictOldest(this.#counts, overflowBatch(this.#counts.size, this.#max));
  }
}
