/**
 * Insertion-ordered caches drop their oldest entries in batches (runtime/evict-oldest.ts): one walk over the
 * holes V8 leaves at the front per batch, not per insertion. What users see is only the cache's size and that
 * the newest entries survive; both are pinned here, through the two caches that use it.
 */
import { describe, expect, it } from 'vitest';
import { HistoryTokenCounts } from '../src/providers/scripted/history-tokens.ts';
import { countTokens } from '../src/providers/scripted/tokens.ts';
import { evictOldest, overflowBatch } from '../src/runtime/evict-oldest.ts';
import { HistoryCache } from '../src/runtime/history-cache.ts';

describe('evictOldest', () => {
  it('drops the first `count` keys in insertion order, from a Map or a Set', () => {
    const map = new Map(['a', 'b', 'c', 'd'].map((k) => [k, 1]));
    map.delete('b');
    map.set('b', 1); // re-inserted: now the newest
    evictOldest(map, 2);
    expect([...map.keys()]).toEqual(['d', 'b']);
    const set = new Set([1, 2, 3]);
    evictOldest(set, 5);
    expect(set.size).toBe(0);
    evictOldest(set, 0);
  });

  it('takes a cache over its limit back under it by a sixteenth of the limit (one entry for a small one)', () => {
    expect(overflowBatch(10_000, 10_000)).toBe(0);
    expect(overflowBatch(10_001, 10_000)).toBe(1 + 625);
    expect(overflowBatch(4, 3)).toBe(1);
  });
});

describe('the scripted model’s history counts past their limit', () => {
  it('forget the oldest sixteenth at once and still count the newest histories without recounting them', () => {
    const counts = new HistoryTokenCounts(64);
    const item = { type: 'user_input', content: [{ type: 'text', text: 'one two three' }] };
    for (let n = 0; n < 65; n++) counts.count([item, item], { ids: [`v1_${n}`], items: 1 });
    expect(counts.size).toBe(60);
    // The newest history is remembered: its items are not read again (a throwing item proves it).
    const untouchable = new Proxy(
      {},
      {
        get: () => {
          throw new Error('counted again');
        },
        ownKeys: () => {
          throw new Error('counted again');
        },
      },
    );
    expect(counts.count([untouchable, item], { ids: ['v1_64'], items: 1 })).toBe(2 * countTokens(item));
    // The oldest was forgotten: counted again from its items.
    expect(() => counts.count([untouchable, item], { ids: ['v1_0'], items: 1 })).toThrow('counted again');
  });
});

describe('the history cache’s record of recent store reads', () => {
  it('keeps about the last `maxEntries` chains read: the newest admitted again, the oldest forgotten', () => {
    const cache = new HistoryCache({ maxEntries: 32 });
    // Fill the cache's places so that only a recent read admits a chain.
    for (let n = 0; n < 32; n++) {
      cache.admits(`filler_${n}`);
      cache.set(`v1_${n}`, { items: [], bytes: 0, ids: [`v1_${n}`] } as never);
    }
    for (let n = 0; n < 33; n++) cache.admits(`root_${n}`);
    expect(cache.admits('root_32')).toBe(true);
    expect(cache.admits('root_0')).toBe(false);
  });
});
