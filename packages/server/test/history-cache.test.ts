/** The runtime's in-memory history of recent chains: limits, expiry, owners, deletes; store:false never in it. */
import type { CanonicalRequest, Item } from '@interplay/protocol';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CachedHistory,
  extendHistory,
  HistoryCache,
  type HistoryCacheOptions,
  NO_HISTORY,
} from '../src/runtime/history-cache.ts';
import { InteractionService } from '../src/service/interaction-service.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { RecordingEngine } from './helpers/engines.ts';

const user = (text: string): Item => ({ type: 'user_input', content: [{ type: 'text', text }] });
const FAR = Number.POSITIVE_INFINITY;

/** A chain of `n` one-item turns `t1 … tn` (each extends the one before). */
function chain(n: number, owner: string | null = null, expiresAt = FAR): CachedHistory[] {
  const out: CachedHistory[] = [];
  let h = NO_HISTORY;
  for (let i = 1; i <= n; i++) {
    h = extendHistory(h, `t${i}`, owner, [user(`turn ${i}`)], expiresAt);
    out.push(h);
  }
  return out;
}

describe('HistoryCache', () => {
  it('extends a history: parent items, then its own; ids and the earliest expiry follow; items are frozen', () => {
    const a = extendHistory(NO_HISTORY, 'a', 'k', [user('one')], 5_000);
    const b = extendHistory(a, 'b', 'k', [user('two'), user('three')], 9_000);
    expect(b.items).toEqual([user('one'), user('two'), user('three')]);
    expect(b.items[0]).toBe(a.items[0]);
    expect(b.ids).toEqual(['a', 'b']);
    expect(b.expiresAt).toBe(5_000);
    expect(a.items).toHaveLength(1); // the parent is not changed
    const item = b.items[1] as { content: { text: string }[] };
    expect(Object.isFrozen(item) && Object.isFrozen(item.content) && Object.isFrozen(item.content[0])).toBe(
      true,
    );
    expect(() => {
      (item.content[0] as { text: string }).text = 'changed';
    }).toThrow(TypeError);
  });

  it('evicts the least recently used entry past maxEntries', () => {
    const cache = new HistoryCache({ maxEntries: 2 });
    const [h1, h2, h3] = chain(3);
    cache.set('t1', h1 as CachedHistory);
    cache.set('t2', h2 as CachedHistory);
    expect(cache.get('t1', null, 0)).toBe(h1); // t1 is now the most recent
    cache.set('t3', h3 as CachedHistory);
    expect(cache.get('t2', null, 0)).toBeUndefined();
    expect(cache.get('t1', null, 0)).toBe(h1);
    expect(cache.get('t3', null, 0)).toBe(h3);
    expect(cache.size).toBe(2);
  });

  it('evicts a history superseded by its next turn before any other, and frees its place for admission', () => {
    const cache = new HistoryCache({ maxEntries: 2 });
    const [a1, a2] = chain(2);
    const [b1] = chain(1, 'k');
    cache.set('b1', b1 as CachedHistory);
    cache.set('t1', a1 as CachedHistory);
    cache.retire('t1'); // the chain's turn t2 was just answered
    expect(cache.admits('another chain')).toBe(true); // one live conversation of two places
    cache.set('t2', a2 as CachedHistory);
    // The superseded entry goes, not the older live one of the other chain.
    expect(cache.get('t1', null, 0)).toBeUndefined();
    expect(cache.get('b1', 'k', 0)).toBe(b1);
    expect(cache.get('t2', null, 0)).toBe(a2);
    expect(cache.items).toBe(3);
  });

  it('serves a superseded history while there is room, as a live one again', () => {
    const cache = new HistoryCache({ maxEntries: 3 });
    const [a1, a2] = chain(2);
    cache.set('t1', a1 as CachedHistory);
    cache.retire('t1');
    cache.set('t2', a2 as CachedHistory);
    expect(cache.get('t1', null, 0)).toBe(a1); // a branch from t1
    expect(cache.admits('another chain')).toBe(true);
    cache.delete('t1'); // deleting t1 drops every history holding it, superseded or not
    expect(cache.size).toBe(0);
    expect(cache.items).toBe(0);
  });

  it('keeps total items (and bytes) under their limits; a history bigger than the limit is not kept', () => {
    const cache = new HistoryCache({ maxItems: 5 });
    const hs = chain(6);
    cache.set('t2', hs[1] as CachedHistory); // 2 items
    cache.set('t3', hs[2] as CachedHistory); // 3 items: 5 in all
    expect(cache.items).toBe(5);
    cache.set('t4', hs[3] as CachedHistory); // 4 more: t2 and t3 go
    expect(cache.size).toBe(1);
    expect(cache.items).toBe(4);
    cache.set('t6', hs[5] as CachedHistory); // 6 > 5: never kept, t4 stays
    expect(cache.get('t6', null, 0)).toBeUndefined();
    expect(cache.get('t4', null, 0)).toBe(hs[3]);

    const bytes = new HistoryCache({ maxBytes: (hs[2] as CachedHistory).bytes });
    bytes.set('t3', hs[2] as CachedHistory);
    bytes.set('t1', hs[0] as CachedHistory);
    expect(bytes.get('t3', null, 0)).toBeUndefined();
    expect(bytes.get('t1', null, 0)).toBe(hs[0]);
  });

  it('never returns a history past its earliest expiry, nor to another owner', () => {
    const cache = new HistoryCache();
    const old = extendHistory(NO_HISTORY, 'old', 'k', [user('a')], 1_000);
    const young = extendHistory(old, 'young', 'k', [user('b')], 50_000);
    cache.set('young', young);
    expect(young.expiresAt).toBe(1_000);
    expect(cache.get('young', 'other', 500)).toBeUndefined();
    expect(cache.get('young', 'k', 500)).toBe(young);
    // After `old` expired the store reads the chain without it: the cached one is dropped.
    expect(cache.get('young', 'k', 1_001)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('admits a chain read from the store while there is room, then only one read again within maxEntries reads', () => {
    const cache = new HistoryCache({ maxEntries: 2 });
    const [h1, h2] = chain(2);
    expect(cache.admits('r1')).toBe(true); // empty
    cache.set('t1', h1 as CachedHistory);
    cache.set('t2', h2 as CachedHistory);
    expect(cache.admits('r3')).toBe(false); // full, r3 not read lately
    expect(cache.admits('r3')).toBe(true); // read again within the last 2 reads
    expect(cache.admits('r4')).toBe(false);
    expect(cache.admits('r5')).toBe(false);
    expect(cache.admits('r3')).toBe(false); // r4 and r5 came between: it would have been evicted unused
    expect(new HistoryCache({ maxEntries: 0 }).admits('r1')).toBe(false);
  });

  it('a delete drops the entry and every history that contains it, nothing else', () => {
    const cache = new HistoryCache();
    const [h1, h2, h3] = chain(3);
    const other = extendHistory(NO_HISTORY, 'x1', null, [user('x')], FAR);
    const branch = extendHistory(h1 as CachedHistory, 'b2', null, [user('b')], FAR);
    for (const [id, h] of [
      ['t1', h1],
      ['t2', h2],
      ['t3', h3],
      ['x1', other],
      ['b2', branch],
    ] as const)
      cache.set(id, h as CachedHistory);
    cache.delete('t2');
    expect(cache.get('t2', null, 0)).toBeUndefined();
    expect(cache.get('t3', null, 0)).toBeUndefined();
    expect(cache.get('t1', null, 0)).toBe(h1);
    expect(cache.get('b2', null, 0)).toBe(branch);
    expect(cache.get('x1', null, 0)).toBe(other);
    cache.delete('t1');
    expect(cache.get('b2', null, 0)).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

describe('the interaction service and the history cache', () => {
  const stores: SqliteStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  const service = (historyCache?: HistoryCacheOptions | false) => {
    const store = SqliteStore.open({ path: ':memory:' });
    stores.push(store);
    const engine = new RecordingEngine();
    const interactions = new InteractionService({
      store,
      engine,
      logger: pino({ level: 'silent' }),
      retentionMs: 60_000,
      fileActivationMs: 0,
      ...(historyCache === undefined ? {} : { historyCache }),
    });
    return { interactions, engine };
  };
  const create = async (
    interactions: InteractionService,
    text: string,
    more: Partial<CanonicalRequest> = {},
  ) => {
    const run = await interactions.create({
      owner: null,
      request: { model: 'm', input: [user(text)], ...more },
      stream: false,
      sentInput: text,
    });
    return (await run.done).record;
  };
  const answer: Item = { type: 'model_output', content: [{ type: 'text', text: 'ok' }] };

  it('caches stored turns that continue a chain (and the chain they read), never store:false ones', async () => {
    const { interactions } = service();
    const cache = interactions.historyCache as HistoryCache;
    const first = await create(interactions, 'first');
    // A first turn is left out: most are never continued.
    expect(cache.size).toBe(0);
    const second = await create(interactions, 'second', { previous_interaction_id: first.id });
    expect(cache.get(first.id, null, Date.now())?.items).toEqual([user('first'), answer]);
    expect(cache.get(second.id, null, Date.now())?.items).toEqual([
      user('first'),
      answer,
      user('second'),
      answer,
    ]);
    const memory = await create(interactions, 'memory', { store: false });
    const memoryChained = await create(interactions, 'memory chained', {
      store: false,
      previous_interaction_id: second.id,
    });
    expect(memoryChained.status).toBe('completed');
    expect(cache.get(memory.id, null, Date.now())).toBeUndefined();
    expect(cache.get(memoryChained.id, null, Date.now())).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('keeps a chain read from the store only while its next turn is likely to find it; histories stay whole', async () => {
    const { interactions, engine } = service({ maxEntries: 1 });
    const cache = interactions.historyCache as HistoryCache;
    const a1 = await create(interactions, 'a1');
    const b1 = await create(interactions, 'b1');
    const a2 = await create(interactions, 'a2', { previous_interaction_id: a1.id }); // from the store; room: kept
    expect(cache.get(a2.id, null, Date.now())).toBeDefined();
    // From the store with the cache full, and chain b not read lately: its entry would push a2 out unused.
    const b2 = await create(interactions, 'b2', { previous_interaction_id: b1.id });
    expect(cache.get(b2.id, null, Date.now())).toBeUndefined();
    expect(cache.get(a2.id, null, Date.now())).toBeDefined();
    const a3 = await create(interactions, 'a3', { previous_interaction_id: a2.id }); // from the cache
    expect(cache.get(a3.id, null, Date.now())).toBeDefined();
    // Chain b is back within one read of the store: now it is kept.
    const b3 = await create(interactions, 'b3', { previous_interaction_id: b2.id });
    expect(cache.get(b3.id, null, Date.now())).toBeDefined();
    const histories = engine.turns.map((t) =>
      t.history.map(
        (item) => ((item as { content: { text: string }[] }).content[0] as { text: string }).text,
      ),
    );
    expect(histories).toEqual([
      [],
      [],
      ['a1', 'ok'],
      ['b1', 'ok'],
      ['a1', 'ok', 'a2', 'ok'],
      ['b1', 'ok', 'b2', 'ok'],
    ]);
    // What the cache hands on is frozen; a history read for one turn alone need not be.
    expect(Object.isFrozen(engine.turns[4]?.history[0])).toBe(true);
    const b4 = await create(interactions, 'b4', { previous_interaction_id: b3.id }); // from the cache
    expect(cache.get(b4.id, null, Date.now())?.items).toHaveLength(8);
  });

  it('can be turned off', async () => {
    const { interactions } = service(false);
    expect(interactions.historyCache).toBeUndefined();
    const first = await create(interactions, 'a');
    expect((await create(interactions, 'b', { previous_interaction_id: first.id })).status).toBe('completed');
  });
});
