/**
 * The scripted model's input-token count of a continued turn: kept under the ids of the history it counted
 * (history-tokens.ts), so a history read from the store again is not counted again — with the same usage as a
 * full count, over branches, deleted ancestors and a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Item } from '@interplay/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine/engine.ts';
import type { Provider, ProviderHistory } from '../src/providers/provider.ts';
import { HistoryTokenCounts } from '../src/providers/scripted/history-tokens.ts';
import { countTokens } from '../src/providers/scripted/tokens.ts';
import { call, closeAll, startServer } from './helpers/server.ts';

afterAll(closeAll);

const user = (text: string): Item => ({ type: 'user_input', content: [{ type: 'text', text }] });
const model = (text: string): Item => ({ type: 'model_output', content: [{ type: 'text', text }] });

/** An item whose every field throws when read: counting it fails the test. */
function untouchable(): Item {
  return new Proxy({} as Item, {
    get: () => {
      throw new Error('an item of the remembered history was counted again');
    },
    ownKeys: () => {
      throw new Error('an item of the remembered history was counted again');
    },
  });
}

describe('HistoryTokenCounts', () => {
  it('counts only what follows the history counted at the turn before, with the full count as result', () => {
    const counts = new HistoryTokenCounts();
    const turn1 = [user('one two three'), model('four five')];
    const turn2 = [user('six seven'), model('eight')];
    // Turn 2 continues turn 1: its request begins with turn 1's items.
    const request2 = [...turn1, user('six seven')];
    expect(counts.count(request2, { ids: ['v1_a'], items: 2 })).toBe(countTokens(request2));
    // Turn 3 continues turn 2, its history read from the store again: new objects. The part counted at turn 2
    // (turn 1's items) is not walked again: replaced by items that throw when read, the count still holds.
    const request3 = [...turn1, ...turn2, user('nine ten eleven')];
    const expected = countTokens(request3);
    const reread = [untouchable(), untouchable(), ...structuredClone([...turn2, user('nine ten eleven')])];
    expect(counts.count(reread, { ids: ['v1_a', 'v1_b'], items: 4 })).toBe(expected);
  });

  it('counts in full a history that lost its first turns (deleted or expired): fewer ids, same last id', () => {
    const counts = new HistoryTokenCounts();
    const items = [user('a b'), model('c'), user('d e f'), model('g'), user('h')];
    expect(counts.count(items, { ids: ['v1_a', 'v1_b'], items: 4 })).toBe(countTokens(items));
    // v1_a deleted: the chain read from the store now begins at v1_b.
    const shorter = [user('d e f'), model('g'), user('h i')];
    expect(counts.count(shorter, { ids: ['v1_b'], items: 2 })).toBe(countTokens(shorter));
    const next = [user('d e f'), model('g'), user('h i'), model('j'), user('k')];
    expect(counts.count(next, { ids: ['v1_b', 'v1_c'], items: 4 })).toBe(countTokens(next));
  });

  it('keeps no continued request alive: its history is not pinned while its input lives on', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const counts = new HistoryTokenCounts();
    const input = user('and the rain jacket?');
    // A history read from the store (new objects), then this turn's input, which the turn's record keeps.
    const request = () => {
      const items = [user('where is my order?'), model('on its way'), input];
      expect(counts.count(items, { ids: ['v1_a'], items: 2 })).toBe(countTokens(items));
      return new WeakRef(items);
    };
    const items = request();
    // A WeakRef holds its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(items.deref()).toBeUndefined();
    expect(input.type).toBe('user_input');
  });

  it('agrees with countTokens over random chains, branches, shortened histories and re-reads', () => {
    let state = 11;
    const random = () => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    };
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    // Every interaction: its id, its parent, its own items (input then output), fixed once made.
    const made: { id: string; parent: number; own: Item[] }[] = [];
    const historyOf = (index: number): number[] => {
      const chain: number[] = [];
      for (let i = index; i >= 0; i = (made[i] as { parent: number }).parent) chain.unshift(i);
      return chain;
    };
    const counts = new HistoryTokenCounts(50);
    for (let n = 0; n < 1_500; n++) {
      const parent = made.length === 0 || random() < 0.1 ? -1 : Math.floor(random() * made.length);
      let chain = parent < 0 ? [] : historyOf(parent);
      // A deleted or expired ancestor: the history begins after it.
      if (chain.length > 1 && random() < 0.15)
        chain = chain.slice(1 + Math.floor(random() * (chain.length - 1)));
      const history = structuredClone(chain.flatMap((i) => (made[i] as { own: Item[] }).own));
      const input = [user(words(1 + Math.floor(random() * 6)))];
      const items = [...history, ...input];
      const ids = chain.map((i) => (made[i] as { id: string }).id);
      expect(counts.count(items, ids.length > 0 ? { ids, items: history.length } : undefined)).toBe(
        countTokens(items),
      );
      made.push({ id: `v1_${n}`, parent, own: [...input, model(words(Math.floor(random() * 5)))] });
    }
    expect(counts.size).toBeLessThanOrEqual(50);
  });
});

describe('usage of a continued turn over HTTP, history read from the store', () => {
  const SYSTEM = 'You are a support agent for an outdoor shop.';
  const turn = (input: string, previous?: string) => ({
    model: 'm',
    input,
    system_instruction: SYSTEM,
    ...(previous ? { previous_interaction_id: previous } : {}),
  });

  it('is what a server counting the whole history answers: along the chain, on a branch, after a delete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'interplay-history-tokens-'));
    const dbPath = join(dir, 'chain.db');
    try {
      const warm = await startServer({ dbPath, historyCache: false });
      const ids: string[] = [];
      const tokens: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const reply = await call(`${warm.url}/v1beta/interactions`, {
          body: turn(`Message ${i}: where is my order NW-${i}?`, ids.at(-1)),
        });
        expect(reply.status).toBe(200);
        ids.push(reply.json.id);
        tokens.push(reply.json.usage.total_input_tokens);
      }
      for (let i = 1; i < tokens.length; i++) expect(tokens[i]).toBeGreaterThan(tokens[i - 1] as number);
      // A second server on the same file has remembered none of these histories: it counts them in full.
      const fresh = await startServer({ dbPath, historyCache: false });
      const inputTokens = async (server: { url: string }, body: unknown) => {
        const reply = await call(`${server.url}/v1beta/interactions`, { body });
        expect(reply.status).toBe(200);
        return reply.json.usage.total_input_tokens as number;
      };
      const deep = turn('And the rain jacket?', ids[4]);
      const branch = turn('Actually, cancel it.', ids[1]);
      const before = await inputTokens(warm, deep);
      expect(before).toBe(await inputTokens(fresh, deep));
      expect(await inputTokens(warm, branch)).toBe(await inputTokens(fresh, branch));
      // Turn 3 deleted: the chain read for a continuation of turn 5 now begins at turn 4.
      expect((await call(`${warm.url}/v1beta/interactions/${ids[2]}`, { method: 'DELETE' })).status).toBe(
        200,
      );
      const after = await inputTokens(warm, deep);
      expect(after).toBeLessThan(before);
      expect(after).toBe(await inputTokens(fresh, deep));
    } finally {
      await closeAll();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ProviderRequest.history', () => {
  it('names the stored interactions the items begin with, from the store or the history cache', async () => {
    const seen: { history: ProviderHistory | undefined; items: number }[] = [];
    const recording: Provider = {
      name: 'recording',
      generate: (request) => {
        seen.push({ history: request.history, items: request.items.length });
        return [{ type: 'text', text: 'ok' }];
      },
    };
    for (const historyCache of [false, undefined] as const) {
      seen.length = 0;
      const t = await startServer({ engine: createEngine({ providers: [recording] }), historyCache });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const reply = await call(`${t.url}/v1beta/interactions`, {
          body: { model: 'm', input: `turn ${i}`, ...(i > 0 ? { previous_interaction_id: ids.at(-1) } : {}) },
        });
        expect(reply.status).toBe(200);
        ids.push(reply.json.id);
      }
      expect(seen).toEqual([
        { history: undefined, items: 1 },
        { history: { ids: ids.slice(0, 1), items: 2 }, items: 3 },
        { history: { ids: ids.slice(0, 2), items: 4 }, items: 5 },
      ]);
    }
  });
});
