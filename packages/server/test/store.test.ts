import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type Item, StreamAccumulator } from '@interplay/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MIGRATIONS } from '../src/store/migrations.ts';
import { SqliteStore, type SqliteStoreOptions } from '../src/store/sqlite-store.ts';
import { type InteractionRecord, StoreError } from '../src/store/store.ts';

const FAR = Date.now() + 86_400_000;
const stores: SqliteStore[] = [];
const dirs: string[] = [];

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'interplay-store-'));
  dirs.push(dir);
  return join(dir, 'store.db');
}

function open(options: Partial<SqliteStoreOptions> = {}): SqliteStore {
  const store = SqliteStore.open({ path: tempPath(), ...options });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const user = (text: string): Item => ({ type: 'user_input', content: [{ type: 'text', text }] });
const model = (text: string): Item => ({ type: 'model_output', content: [{ type: 'text', text }] });

function record(id: string, over: Partial<InteractionRecord> = {}): InteractionRecord {
  return {
    id,
    owner: 'key-a',
    status: 'completed',
    model: 'gemini-3-flash',
    created: '2026-01-01T00:00:00Z',
    updated: '2026-01-01T00:00:01Z',
    request: { model: 'gemini-3-flash', input: [user(`question ${id}`)] },
    output: [model(`answer ${id}`)],
    background: false,
    expiresAt: FAR,
    ...over,
  };
}

/** One output item of every kind the engine streams differently. */
const EVERY_KIND: Item[] = [
  { type: 'thought', signature: 'c2ln', summary: [{ type: 'text', text: 'Thinking about it.' }] },
  {
    type: 'model_output',
    content: [
      {
        type: 'text',
        text: 'Paris is the capital.',
        annotations: [{ type: 'url_citation', url: 'https://example.com', start_index: 0, end_index: 5 }],
      },
      { type: 'image', data: 'iVBORw0KGgo=', mime_type: 'image/png' },
      { type: 'text', text: ' More text.' },
    ],
  },
  { type: 'function_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } },
  { type: 'code_execution_call', id: 'ce_1', arguments: { language: 'python', code: 'print(1)' } },
  { type: 'code_execution_result', call_id: 'ce_1', result: '1\n' },
  { type: 'google_search_call', id: 'gs_1', arguments: { queries: ['capital of France'] } },
  { type: 'model_output', content: [{ type: 'text', text: 'A second, separate answer.' }] },
];

/** Every optional field set, with awkward JSON (unicode, nesting, numbers, nulls). */
const full = (): InteractionRecord => ({
  id: 'v1_full',
  owner: 'owner-hash',
  status: 'requires_action',
  model: 'gemini-3-pro',
  agent: 'deep-research-pro',
  created: '2026-02-03T04:05:06Z',
  updated: '2026-02-03T04:05:09Z',
  request: {
    model: 'gemini-3-pro',
    input: [user('Wetter in Zürich? 🌦️ "quoted" \\ back\nslash')],
    system_instruction: 'Be terse.',
    tools: [
      { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: {} } } },
    ],
    generation_config: { temperature: 0.25, max_output_tokens: 1024 },
    previous_interaction_id: 'v1_parent',
    background: true,
    extra: { nested: { list: [1, null, 'x', { deep: true }] } },
  },
  output: [
    { type: 'thought', signature: 'sig==' },
    { type: 'function_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Zürich', days: 3 } },
  ],
  usage: { total_input_tokens: 12, total_output_tokens: 34, total_tokens: 46 },
  error: { code: 'RESOURCE_EXHAUSTED', message: 'quota', details: [{ retry: 1.5 }] },
  previousId: 'v1_parent',
  background: true,
  expiresAt: FAR,
});

describe.each([
  ['file', () => open()],
  [':memory:', () => open({ path: ':memory:' })],
])('SqliteStore interactions (%s)', (_name, make) => {
  it('round-trips a full record and writes its end', async () => {
    const store = make();
    const original = full();
    await store.createInteraction(original);
    expect(await store.getInteraction(original.id, 'owner-hash')).toStrictEqual(original);

    // Absent optional fields come back absent, not `undefined`.
    const bare = record('v1_bare');
    await store.createInteraction(bare);
    expect(await store.getInteraction('v1_bare', 'key-a')).toStrictEqual(bare);

    await store.finishInteraction(
      original.id,
      {
        status: 'completed',
        updated: '2026-02-03T04:06:00Z',
        output: [model('done')],
        usage: { total_tokens: 99 },
        error: undefined,
      },
      [],
      1,
    );
    const { error: _cleared, ...rest } = original;
    expect(await store.getInteraction(original.id, 'owner-hash')).toStrictEqual({
      ...rest,
      status: 'completed',
      updated: '2026-02-03T04:06:00Z',
      output: [model('done')],
      usage: { total_tokens: 99 },
    });

    expect(await store.deleteInteraction(original.id, 'owner-hash')).toBe(true);
    expect(await store.getInteraction(original.id, 'owner-hash')).toBeUndefined();
    expect(await store.deleteInteraction(original.id, 'owner-hash')).toBe(false);
  });

  it('rejects a duplicate id with StoreError(conflict)', async () => {
    const store = make();
    await store.createInteraction(record('v1_dup'));
    await expect(store.createInteraction(record('v1_dup'))).rejects.toMatchObject({
      name: 'StoreError',
      code: 'conflict',
    });
  });
});

describe('durability', () => {
  it('opens WAL with synchronous NORMAL by default and FULL when asked; refuses anything else', () => {
    expect(open().settings()).toEqual({ journalMode: 'wal', synchronous: 'normal' });
    expect(open({ durability: 'full' }).settings()).toEqual({ journalMode: 'wal', synchronous: 'full' });
    expect(() => open({ durability: 'extra' as never })).toThrow(/durability must be 'normal' or 'full'/);
  });
});

describe('ownership', () => {
  it('hides rows from other owners; null (open mode) matches only null', async () => {
    const store = open();
    await store.createInteraction(record('v1_a', { owner: 'key-a' }));
    await store.createInteraction(record('v1_open', { owner: null }));

    expect(await store.getInteraction('v1_a', 'key-a')).toBeDefined();
    expect(await store.getInteraction('v1_a', 'key-b')).toBeUndefined();
    expect(await store.getInteraction('v1_a', null)).toBeUndefined();
    expect(await store.getInteraction('v1_open', null)).toBeDefined();
    expect(await store.getInteraction('v1_open', 'key-a')).toBeUndefined();

    expect(await store.deleteInteraction('v1_a', 'key-b')).toBe(false);
    expect(await store.deleteInteraction('v1_a', null)).toBe(false);
    expect(await store.deleteInteraction('v1_open', 'key-a')).toBe(false);
    expect(await store.getInteraction('v1_a', 'key-a')).toBeDefined();
    expect(await store.getInteraction('v1_open', null)).toBeDefined();
  });
});

describe('history', () => {
  it('returns input then output of each turn in a 3-turn chain, oldest first', async () => {
    const store = open();
    await store.createInteraction(
      record('v1_t1', { request: { input: [user('q1')], tools: [{ type: 'url_context' }] } }),
    );
    await store.createInteraction(record('v1_t2', { previousId: 'v1_t1', request: { input: [user('q2')] } }));
    await store.createInteraction(
      record('v1_t3', { previousId: 'v1_t2', request: { input: [user('q3a'), user('q3b')] } }),
    );
    await store.createInteraction(record('v1_other', { request: { input: [user('unrelated')] } }));

    expect(await store.loadHistory('v1_t3')).toStrictEqual([
      user('q1'),
      model('answer v1_t1'),
      user('q2'),
      model('answer v1_t2'),
      user('q3a'),
      user('q3b'),
      model('answer v1_t3'),
    ]);
    expect(await store.loadHistory('v1_t1')).toStrictEqual([user('q1'), model('answer v1_t1')]);
    expect(await store.loadHistory('v1_missing')).toStrictEqual([]);
  });

  it('loadChain also names the chain’s interactions and its earliest expiry', async () => {
    const store = open();
    await store.createInteraction(record('v1_t1', { expiresAt: 9_000_000_000_000 }));
    await store.createInteraction(record('v1_t2', { previousId: 'v1_t1', expiresAt: 8_000_000_000_000 }));
    await store.createInteraction(record('v1_t3', { previousId: 'v1_t2', expiresAt: 9_500_000_000_000 }));
    const chain = await store.loadChain('v1_t3');
    expect(chain.items).toStrictEqual(await store.loadHistory('v1_t3'));
    expect(chain.ids).toEqual(['v1_t1', 'v1_t2', 'v1_t3']);
    expect(chain.expiresAt).toBe(8_000_000_000_000);
    expect(await store.loadChain('v1_missing')).toStrictEqual({
      items: [],
      ids: [],
      expiresAt: Number.POSITIVE_INFINITY,
    });
  });

  it('reads a chain of 500 turns in order', async () => {
    const store = open();
    let previousId: string | undefined;
    for (let i = 0; i < 500; i++) {
      const id = `v1_c${i}`;
      await store.createInteraction(
        record(id, { previousId, request: { input: [user(`q${i}`)], previous_interaction_id: previousId } }),
      );
      previousId = id;
    }

    const cost = async (id: string) => {
      const before = store.stats.statements;
      const items = await store.loadHistory(id);
      return { statements: store.stats.statements - before, items: items.length };
    };
    const short = await cost('v1_c1');
    const long = await cost('v1_c499');
    expect(short.items).toBe(4);
    expect(long.items).toBe(1000);
    expect(long.statements).toBe(short.statements);
    const history = await store.loadHistory('v1_c499');
    expect(history).toHaveLength(1000);
    expect(history[0]).toStrictEqual(user('q0'));
    expect(history[999]).toStrictEqual(model('answer v1_c499'));
  });
});

describe('history of branched chains', () => {
  const chainOf = async (store: SqliteStore, ids: string[], from?: string) => {
    let previousId = from;
    for (const id of ids) {
      await store.createInteraction(record(id, { previousId, request: { input: [user(`q ${id}`)] } }));
      previousId = id;
    }
  };
  const turns = (ids: string[]) => ids.flatMap((id) => [user(`q ${id}`), model(`answer ${id}`)]);

  it('reads only the ancestors of the turn asked for; a deleted link ends the chain there', async () => {
    const store = open();
    await chainOf(store, ['v1_r', 'v1_a1', 'v1_a2', 'v1_a3']);
    await chainOf(store, ['v1_b1', 'v1_b2'], 'v1_r'); // a sibling branch from the same root
    await chainOf(store, ['v1_c3'], 'v1_a2'); // and one from the middle
    expect(await store.loadHistory('v1_a3')).toStrictEqual(turns(['v1_r', 'v1_a1', 'v1_a2', 'v1_a3']));
    expect(await store.loadHistory('v1_b2')).toStrictEqual(turns(['v1_r', 'v1_b1', 'v1_b2']));
    expect((await store.loadChain('v1_c3')).ids).toEqual(['v1_r', 'v1_a1', 'v1_a2', 'v1_c3']);

    expect(await store.deleteInteraction('v1_a1', 'key-a')).toBe(true);
    expect(await store.loadHistory('v1_a3')).toStrictEqual(turns(['v1_a2', 'v1_a3']));
    expect(await store.loadHistory('v1_b2')).toStrictEqual(turns(['v1_r', 'v1_b1', 'v1_b2']));
  });

  it('reads the same history when the root has been continued hundreds of times', async () => {
    const store = open();
    await chainOf(store, ['v1_root']);
    for (let i = 0; i < 150; i++) await chainOf(store, [`v1_x${i}`], 'v1_root');
    await chainOf(store, ['v1_d2', 'v1_d3'], 'v1_x7');
    expect(await store.loadHistory('v1_d3')).toStrictEqual(turns(['v1_root', 'v1_x7', 'v1_d2', 'v1_d3']));
    expect(await store.loadHistory('v1_x149')).toStrictEqual(turns(['v1_root', 'v1_x149']));
  });
});

describe('retention', () => {
  it('expire() removes expired interactions with their events and files, keeps the rest', async () => {
    // Reads see "time 0" so nothing is hidden; only expire() decides what goes.
    const store = open({ now: () => 0 });
    await store.createInteraction(record('v1_old', { expiresAt: 1_000 }));
    await store.createInteraction(record('v1_new', { expiresAt: 10_000 }));
    await store.createInteraction(record('v1_running', { status: 'in_progress', expiresAt: 1_000 }));
    const event = { eventId: 'e1', event: { event_type: 'step.stop', index: 0 } as const };
    await store.appendEvents('v1_old', [event]);
    await store.appendEvents('v1_new', [event]);
    const file = {
      owner: 'key-a',
      mimeType: 'text/plain',
      sizeBytes: 1,
      state: 'ACTIVE' as const,
      created: '2026-01-01T00:00:00Z',
      updated: '2026-01-01T00:00:00Z',
    };
    await store.createFile({ ...file, name: 'files/old', expiresAt: 1_000 }, new Uint8Array([1]));
    await store.createFile({ ...file, name: 'files/new', expiresAt: 10_000 }, new Uint8Array([2]));

    expect(await store.expire(5_000)).toBe(1);

    expect(await store.getInteraction('v1_old', 'key-a')).toBeUndefined();
    expect(await store.listEvents('v1_old')).toEqual([]);
    expect(await store.getFile('files/old', 'key-a')).toBeUndefined();
    expect(await store.getInteraction('v1_new', 'key-a')).toBeDefined();
    expect(await store.listEvents('v1_new')).toHaveLength(1);
    expect(await store.getFile('files/new', 'key-a')).toBeDefined();
    // A running turn is never swept from under itself.
    expect(await store.getInteraction('v1_running', 'key-a')).toBeDefined();
    expect(await store.expire(5_000)).toBe(0);
  });

  it('sweeps on a timer when retentionMs is set', async () => {
    // setImmediate stays real: the store's group commit runs on it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    try {
      const store = open({ path: ':memory:', retentionMs: 1_000, now: () => 0 });
      await store.createInteraction(record('v1_soon', { expiresAt: Date.now() + 500 }));
      await store.createInteraction(record('v1_later', { expiresAt: Date.now() + 60_000 }));
      vi.advanceTimersByTime(1_500);
      expect(await store.getInteraction('v1_soon', 'key-a')).toBeUndefined();
      expect(await store.getInteraction('v1_later', 'key-a')).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('hides expired rows from reads before they are swept', async () => {
    let now = 0;
    const store = open({ now: () => now });
    await store.createInteraction(record('v1_t1', { expiresAt: 1_000 }));
    await store.createInteraction(record('v1_t2', { previousId: 'v1_t1', expiresAt: 5_000 }));
    expect(await store.loadHistory('v1_t2')).toHaveLength(4);
    now = 2_000;
    expect(await store.getInteraction('v1_t1', 'key-a')).toBeUndefined();
    expect(await store.deleteInteraction('v1_t1', 'key-a')).toBe(false);
    expect(await store.loadHistory('v1_t2')).toHaveLength(2);
    await store.finishInteraction('v1_t2', { expiresAt: 1_000_000 }, [], 1);
    now = 100_000;
    expect(await store.getInteraction('v1_t2', 'key-a')).toBeDefined();
  });
});

describe('listUnfinished', () => {
  it('returns queued and in_progress rows of every owner', async () => {
    const store = open();
    await store.createInteraction(record('v1_q', { status: 'queued', owner: 'key-a' }));
    await store.createInteraction(record('v1_p', { status: 'in_progress', owner: null, background: true }));
    for (const status of ['completed', 'requires_action', 'failed', 'cancelled', 'incomplete'] as const) {
      await store.createInteraction(record(`v1_${status}`, { status }));
    }
    const unfinished = await store.listUnfinished();
    expect(unfinished.map((r) => r.id).sort()).toEqual(['v1_p', 'v1_q']);
    expect(unfinished.find((r) => r.id === 'v1_p')).toStrictEqual(
      record('v1_p', { status: 'in_progress', owner: null, background: true }),
    );

    await store.finishInteraction('v1_p', { status: 'failed' }, [], 1);
    expect((await store.listUnfinished()).map((r) => r.id)).toEqual(['v1_q']);
  });
});

describe('lifecycle', () => {
  it('reopening the same file after close sees the data', async () => {
    const path = tempPath();
    const first = SqliteStore.open({ path });
    await first.createInteraction(full());
    await first.appendEvents('v1_full', [{ eventId: 'e1', event: { event_type: 'step.stop', index: 0 } }]);
    await first.createFile(
      {
        name: 'files/a',
        owner: null,
        mimeType: 'application/octet-stream',
        sizeBytes: 3,
        state: 'ACTIVE',
        created: '2026-01-01T00:00:00Z',
        updated: '2026-01-01T00:00:00Z',
        expiresAt: FAR,
      },
      new Uint8Array([7, 8, 9]),
    );
    await first.close();

    const second = SqliteStore.open({ path });
    stores.push(second);
    expect(await second.getInteraction('v1_full', 'owner-hash')).toStrictEqual(full());
    expect(await second.listEvents('v1_full')).toHaveLength(1);
    expect([...((await second.readFileData('files/a', null)) ?? [])]).toEqual([7, 8, 9]);

    const raw = new DatabaseSync(path);
    expect(raw.prepare('PRAGMA user_version').get()).toEqual({ user_version: MIGRATIONS.length });
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    raw.close();
  });

  it('upgrades a v1 database: rows keep their stored logs, the event-id index is gone', async () => {
    const path = tempPath();
    const raw = new DatabaseSync(path);
    raw.exec(MIGRATIONS[0] as string);
    raw.exec('PRAGMA user_version = 1');
    raw
      .prepare(
        `INSERT INTO interactions (id, owner, status, created, updated, request_json, output_json, expires_at)
         VALUES ('v1_old', NULL, 'completed', 'c', 'u', '{"input":[]}', '[]', ?)`,
      )
      .run(FAR);
    raw
      .prepare(
        `INSERT INTO events (interaction_id, seq, event_id, body_json)
         VALUES ('v1_old', 1, 'evt_1', '{"event_type":"step.stop","index":0}')`,
      )
      .run();
    raw.close();

    const store = SqliteStore.open({ path });
    stores.push(store);
    const old = await store.getInteraction('v1_old', null);
    expect(old?.status).toBe('completed');
    expect(await store.listEvents('v1_old')).toEqual([
      { seq: 1, eventId: 'evt_1', event: { event_type: 'step.stop', index: 0 } },
    ]);

    const check = new DatabaseSync(path);
    expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: MIGRATIONS.length });
    const indexes = check.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all();
    expect(indexes.map((row) => row.name)).not.toContain('events_by_event_id');
    check.close();
  });

  it('upgrades a v2 database: chains, requests and event logs read as before; the input leaves the request', async () => {
    const path = tempPath();
    const raw = new DatabaseSync(path);
    raw.exec(MIGRATIONS[0] as string);
    raw.exec(MIGRATIONS[1] as string);
    raw.exec('PRAGMA user_version = 2');
    const insert = raw.prepare(
      `INSERT INTO interactions (id, owner, status, created, updated, request_json, output_json, previous_id,
                                 depth, expires_at)
       VALUES (?, 'key-a', 'completed', 'c', 'u', ?, ?, ?, ?, ?)`,
    );
    const tools = [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }];
    for (const [depth, id] of ['v1_a', 'v1_b', 'v1_c'].entries()) {
      const request = { model: 'm', system_instruction: 'Be brief.', tools, input: [user(`q ${id}`)] };
      insert.run(
        id,
        JSON.stringify(request),
        JSON.stringify([model(`a ${id}`)]),
        depth === 0 ? null : `v1_${'abc'[depth - 1]}`,
        depth,
        FAR,
      );
    }
    raw
      .prepare(
        `INSERT INTO events (interaction_id, seq, event_id, body_json) VALUES ('v1_b', 1, 'evt_1', '{}')`,
      )
      .run();
    raw.close();

    const store = SqliteStore.open({ path });
    stores.push(store);
    expect(await store.loadHistory('v1_c')).toStrictEqual([
      user('q v1_a'),
      model('a v1_a'),
      user('q v1_b'),
      model('a v1_b'),
      user('q v1_c'),
      model('a v1_c'),
    ]);
    expect((await store.getInteraction('v1_b', 'key-a'))?.request).toStrictEqual({
      model: 'm',
      system_instruction: 'Be brief.',
      tools,
      input: [user('q v1_b')],
    });
    // A chain begun before the upgrade can still be continued and read whole.
    await store.createInteraction(
      record('v1_d', { previousId: 'v1_c', request: { input: [user('q v1_d')] } }),
    );
    expect((await store.loadChain('v1_d')).ids).toEqual(['v1_a', 'v1_b', 'v1_c', 'v1_d']);
    // The rebuild of the interactions table kept the rows that reference it, and the reference still acts.
    expect(await store.hasEvent('v1_b', 1)).toBe(true);
    expect(await store.deleteInteraction('v1_b', 'key-a')).toBe(true);
    expect(await store.hasEvent('v1_b', 1)).toBe(false);

    // A chain read takes the inputs from their own column: the stored request no longer carries one.
    const check = new DatabaseSync(path);
    const row = check.prepare("SELECT request_json, input_json FROM interactions WHERE id = 'v1_a'").get();
    expect(JSON.parse(String(row?.request_json))).not.toHaveProperty('input');
    expect(JSON.parse(String(row?.input_json))).toStrictEqual([user('q v1_a')]);
    check.close();
  });

  it('upgrades a v3 database: files keep their rows and bytes, and names become per owner', async () => {
    const path = tempPath();
    const raw = new DatabaseSync(path);
    for (const migration of MIGRATIONS.slice(0, 3)) raw.exec(migration as string);
    raw.exec('PRAGMA user_version = 3');
    raw
      .prepare(
        `INSERT INTO files (name, owner, mime_type, size_bytes, state, created, updated, expires_at, data)
         VALUES ('files/report', 'key-a', 'text/plain', 2, 'ACTIVE', 'c', 'u', ?, ?)`,
      )
      .run(FAR, new Uint8Array([4, 2]));
    raw.close();

    const store = SqliteStore.open({ path });
    stores.push(store);
    expect((await store.getFile('files/report', 'key-a'))?.state).toBe('ACTIVE');
    expect([...((await store.readFileData('files/report', 'key-a')) ?? [])]).toEqual([4, 2]);
    const other = { ...(await store.getFile('files/report', 'key-a'))!, owner: 'key-b' };
    await store.createFile(other, new Uint8Array([1])); // v3 refused this: the name was global
    expect((await store.getFile('files/report', 'key-b'))?.owner).toBe('key-b');
    const check = new DatabaseSync(path);
    expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: MIGRATIONS.length });
    check.close();
  });

  it('upgrades a v2 database with derived logs: each is written out, the same events a replay sent', async () => {
    const path = tempPath();
    const raw = new DatabaseSync(path);
    raw.exec(MIGRATIONS[0] as string);
    raw.exec(MIGRATIONS[1] as string);
    raw.exec('PRAGMA user_version = 2');
    const insert = raw.prepare(
      `INSERT INTO interactions (id, owner, status, model, created, updated, request_json, output_json,
                                 usage_json, error_json, expires_at, event_log)
       VALUES (?, NULL, ?, 'gemini-3-flash', '2026-01-01T00:00:00Z', '2026-01-01T00:00:07Z', '{"input":[]}', ?, ?, ?, ?, ?)`,
    );
    const usage = { total_input_tokens: 3, total_output_tokens: 9, total_tokens: 12 };
    insert.run(
      'v1_derived',
      'completed',
      JSON.stringify(EVERY_KIND),
      JSON.stringify(usage),
      null,
      FAR,
      'derived',
    );
    const error = { code: 'deadline_exceeded', message: 'Too slow.' };
    insert.run('v1_failed', 'failed', '[]', null, JSON.stringify(error), FAR, 'derived');
    insert.run('v1_logged', 'completed', '[]', null, null, FAR, 'stored');
    raw
      .prepare(
        `INSERT INTO events (interaction_id, seq, event_id, body_json) VALUES ('v1_logged', 1, 'evt_1', ?)`,
      )
      .run('{"event_type":"step.stop","index":0}');
    raw.close();

    const store = SqliteStore.open({ path });
    stores.push(store);
    const log = await store.listEvents('v1_derived');
    expect(log.map((e) => e.eventId)).toEqual(log.map((_, i) => `evt_${i + 1}`));
    expect(log.map((e) => e.event.event_id)).toEqual(log.map((_, i) => `evt_${i + 1}`));
    const replayed = new StreamAccumulator();
    for (const { event } of log) replayed.push(event);
    expect(replayed.items).toEqual(EVERY_KIND);
    expect(log[0]?.event).toMatchObject({
      event_type: 'interaction.created',
      interaction: { id: 'v1_derived', status: 'in_progress', updated: '2026-01-01T00:00:00Z' },
    });
    expect(log.at(-1)?.event).toMatchObject({
      event_type: 'interaction.completed',
      interaction: { status: 'completed', updated: '2026-01-01T00:00:07Z', usage, model: 'gemini-3-flash' },
    });
    expect((await store.listEvents('v1_failed')).map((e) => e.event.event_type)).toEqual([
      'interaction.created',
      'interaction.status_update',
      'error',
      'interaction.status_update',
      'interaction.completed',
    ]);
    // A row whose log was stored keeps it as it was; reads no longer know the column.
    expect((await store.listEvents('v1_logged')).map((e) => e.eventId)).toEqual(['evt_1']);
    expect(await store.getInteraction('v1_derived', null)).not.toHaveProperty('eventLog');
    const check = new DatabaseSync(path);
    const columns = check
      .prepare('PRAGMA table_info(interactions)')
      .all()
      .map((c) => c.name);
    check.close();
    expect(columns).not.toContain('event_log');
  });

  it('refuses a database written by a newer schema', () => {
    const path = tempPath();
    const raw = new DatabaseSync(path);
    raw.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => SqliteStore.open({ path })).toThrow(StoreError);
  });

  it('rejects every method after close with StoreError(closed)', async () => {
    const store = SqliteStore.open({ path: ':memory:' });
    await store.close();
    await store.close(); // idempotent
    const calls: (() => Promise<unknown>)[] = [
      () => store.createInteraction(record('v1_x')),
      () => store.getInteraction('v1_x', null),
      () => store.finishInteraction('v1_x', { status: 'failed' }, [], 1),
      () => store.finishInteraction('v1_x', {}, [], 1),
      () => store.deleteInteraction('v1_x', null),
      () => store.loadHistory('v1_x'),
      () => store.appendEvents('v1_x', []),
      () => store.listEvents('v1_x'),
      () => store.hasEvent('v1_x', 1),
      () => store.listUnfinished(),
      () => store.listInteractions(null, { pageSize: 10 }),
      () => store.expire(0),
      () => store.getFile('files/x', null),
      () => store.readFileData('files/x', null),
      () => store.updateFile('files/x', null, { state: 'ACTIVE' }),
      () => store.listFiles(null, 10),
      () => store.deleteFile('files/x', null),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({ name: 'StoreError', code: 'closed' });
    }
  });
});
