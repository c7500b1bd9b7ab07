/**
 * The store contract for the inspector's list (`listInteractions`), on every store: order, keyset paging,
 * owner scoping, filters, bounded search.
 */
import type { Item } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { type InteractionQuery, type InteractionRecord, type Store, StoreError } from '../src/store/store.ts';
import { modelText, userText } from './helpers/records.ts';
import { storeKinds } from './helpers/store-kinds.ts';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const FAR = NOW + 86_400_000;

/** The n-th interaction: created n seconds after the epoch of the test, so larger n is newer. */
function record(n: number, over: Partial<InteractionRecord> = {}): InteractionRecord {
  const created = new Date(Date.parse('2026-02-01T00:00:00Z') + n * 1000).toISOString().replace('.000', '');
  return {
    id: `v1_${String(n).padStart(4, '0')}`,
    owner: 'owner-a',
    status: 'completed',
    model: 'gemini-3-flash',
    created,
    updated: created,
    request: { model: 'gemini-3-flash', input: [userText(`question ${n}`)] },
    output: [modelText(`answer ${n}`)],
    background: false,
    expiresAt: FAR,
    ...over,
  };
}

async function fill(store: Store, records: InteractionRecord[]): Promise<void> {
  await Promise.all(records.map((r) => store.createInteraction(r)));
}

/** Every id the query yields, following page tokens to the end. */
async function all(store: Store, owner: string | null, query: InteractionQuery): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  for (let calls = 0; calls < 1000; calls++) {
    const page = await store.listInteractions(owner, { ...query, ...(pageToken ? { pageToken } : {}) });
    ids.push(...page.interactions.map((i) => i.id));
    if (!page.nextPageToken) return ids;
    pageToken = page.nextPageToken;
  }
  throw new Error('paging did not end');
}

describe.each(storeKinds())('store contract: listInteractions ($name)', (kind) => {
  it('lists newest first in pages, each interaction once, ties on `created` broken by id', async () => {
    const store = await kind.open(undefined, { now: () => NOW });
    // Three interactions share each second: the id orders them.
    const records = Array.from({ length: 12 }, (_, i) =>
      record(Math.floor(i / 3), { id: `v1_t${String(i).padStart(2, '0')}` }),
    );
    await fill(store, records);
    const first = await store.listInteractions('owner-a', { pageSize: 5 });
    expect(first.interactions.map((i) => i.id)).toEqual(['v1_t11', 'v1_t10', 'v1_t09', 'v1_t08', 'v1_t07']);
    expect(first.nextPageToken).toBeTypeOf('string');
    const ids = await all(store, 'owner-a', { pageSize: 5 });
    expect(ids).toEqual(records.map((r) => r.id).reverse());
  });

  it('summarizes each interaction without its steps', async () => {
    const store = await kind.open(undefined, { now: () => NOW });
    const long = 'x'.repeat(500);
    await fill(store, [
      record(1, {
        status: 'failed',
        background: true,
        previousId: 'v1_0000',
        usage: { total_tokens: 9 },
        error: { code: 'api_error', message: 'boom' },
        request: {
          model: 'gemini-3-flash',
          input: [{ type: 'function_result', call_id: 'c1', result: 'r' } as Item, userText(long)],
        },
      }),
    ]);
    const [summary] = (await store.listInteractions('owner-a', { pageSize: 10 })).interactions;
    expect(summary).toStrictEqual({
      id: 'v1_0001',
      status: 'failed',
      model: 'gemini-3-flash',
      created: '2026-02-01T00:00:01Z',
      updated: '2026-02-01T00:00:01Z',
      previousId: 'v1_0000',
      background: true,
      usage: { total_tokens: 9 },
      error: { code: 'api_error', message: 'boom' },
      inputPreview: 'x'.repeat(200),
      inputCount: 2,
    });
  });

  it('is owner-scoped and expiry-checked exactly as getInteraction', async () => {
    const store = await kind.open(undefined, { now: () => NOW });
    await fill(store, [
      record(1),
      record(2, { owner: 'owner-b' }),
      record(3, { owner: null }),
      record(4, { expiresAt: NOW - 1 }), // expired
      record(5, { expiresAt: NOW - 1, status: 'in_progress' }), // expired but still running: visible
    ]);
    const visible = async (owner: string | null) => {
      const listed = await all(store, owner, { pageSize: 10 });
      const got: string[] = [];
      for (const n of [1, 2, 3, 4, 5]) {
        if (await store.getInteraction(`v1_000${n}`, owner)) got.push(`v1_000${n}`);
      }
      expect(listed).toEqual(got.reverse());
      return listed;
    };
    expect(await visible('owner-a')).toEqual(['v1_0005', 'v1_0001']);
    expect(await visible('owner-b')).toEqual(['v1_0002']);
    expect(await visible(null)).toEqual(['v1_0003']);
    expect(await visible('owner-c')).toEqual([]);
  });

  it('filters by status, model, agent and previous interaction, together', async () => {
    const store = await kind.open(undefined, { now: () => NOW });
    await fill(store, [
      record(1, { status: 'completed' }),
      record(2, { status: 'failed' }),
      record(3, { status: 'failed', model: 'other-model' }),
      record(4, { model: undefined, agent: 'deep-research-pro-preview-12-2025', previousId: 'v1_0001' }),
      record(5, { previousId: 'v1_0001', status: 'failed' }),
      record(6, { previousId: 'v1_0002' }),
    ]);
    const ids = (query: Omit<InteractionQuery, 'pageSize'>) =>
      all(store, 'owner-a', { pageSize: 2, ...query });
    expect(await ids({ status: 'failed' })).toEqual(['v1_0005', 'v1_0003', 'v1_0002']);
    expect(await ids({ model: 'other-model' })).toEqual(['v1_0003']);
    expect(await ids({ status: 'failed', model: 'gemini-3-flash' })).toEqual(['v1_0005', 'v1_0002']);
    expect(await ids({ agent: 'deep-research-pro-preview-12-2025' })).toEqual(['v1_0004']);
    expect(await ids({ previousId: 'v1_0001' })).toEqual(['v1_0005', 'v1_0004']);
    expect(await ids({ previousId: 'v1_0001', status: 'failed' })).toEqual(['v1_0005']);
    expect(await all(store, 'owner-b', { pageSize: 2, previousId: 'v1_0001' })).toEqual([]);
  });

  it('searches texts, thought summaries, tool names, error messages and ids, not JSON keys', async () => {
    const store = await kind.open(undefined, { now: () => NOW });
    await fill(store, [
      record(1, { request: { input: [userText('Where is the Eiffel Tower?')] } }),
      record(2, { output: [{ type: 'thought', summary: [{ type: 'text', text: 'Planning the ROUTE' }] }] }),
      record(3, {
        output: [{ type: 'function_call', id: 'c', name: 'get_weather', arguments: { city: 'x' } }],
      }),
      record(4, { status: 'failed', error: { code: 'api_error', message: 'Upstream timed out' } }),
      record(5, { output: [modelText('Zürich is lovely')] }),
    ]);
    const ids = (text: string) => all(store, 'owner-a', { pageSize: 10, text });
    expect(await ids('eiffel')).toEqual(['v1_0001']);
    expect(await ids('route')).toEqual(['v1_0002']);
    expect(await ids('GET_WEATHER')).toEqual(['v1_0003']);
    expect(await ids('timed out')).toEqual(['v1_0004']);
    expect(await ids('zürich')).toEqual(['v1_0005']);
    expect(await ids('v1_0003')).toEqual(['v1_0003']);
    // Keys and values that are not text: `type`, `user_input`, `city` never match.
    expect(await ids('user_input')).toEqual([]);
    expect(await ids('city')).toEqual([]);
    expect(await ids('model_output')).toEqual([]);
  });

  it('examines at most scanLimit interactions per call and continues after them', async () => {
    const store = await kind.open(undefined, { now: () => NOW });
    await fill(
      store,
      Array.from({ length: 30 }, (_, n) => record(n, n === 3 || n === 4 ? { status: 'failed' } : {})),
    );
    // The two failed ones are 26 and 27 rows from the newest: two windows of 10 find nothing.
    const query = { pageSize: 5, status: 'failed' as const, scanLimit: 10 };
    const first = await store.listInteractions('owner-a', query);
    expect(first.interactions).toEqual([]);
    const second = await store.listInteractions('owner-a', { ...query, pageToken: first.nextPageToken! });
    expect(second.interactions).toEqual([]);
    const third = await store.listInteractions('owner-a', { ...query, pageToken: second.nextPageToken! });
    expect(third.interactions.map((i) => i.id)).toEqual(['v1_0004', 'v1_0003']);
    expect(third.nextPageToken).toBeUndefined();
    // A full page inside the window continues from its last row, not the window's end.
    const text = await store.listInteractions('owner-a', { pageSize: 2, text: 'answer', scanLimit: 10 });
    expect(text.interactions.map((i) => i.id)).toEqual(['v1_0029', 'v1_0028']);
    const next = await store.listInteractions('owner-a', {
      pageSize: 2,
      text: 'answer',
      scanLimit: 10,
      pageToken: text.nextPageToken!,
    });
    expect(next.interactions.map((i) => i.id)).toEqual(['v1_0027', 'v1_0026']);
  });

  it('rejects a page token it did not make', async () => {
    const store = await kind.open(undefined, { now: () => NOW });
    for (const pageToken of ['not-base64-json', Buffer.from('[1,2]').toString('base64url')]) {
      await expect(store.listInteractions('owner-a', { pageSize: 5, pageToken })).rejects.toMatchObject({
        constructor: StoreError,
        code: 'invalid_page_token',
      });
    }
  });
});
