/**
 * What only the SQLite store has: its file's journal and durability settings, its schema versions and
 * upgrades, statement counts, the sweep timer. The behavior every store shares is in store-contract*.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type Item, StreamAccumulator } from '@interplay/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MIGRATIONS } from '../src/store/migrations.ts';
import { SqliteStore, type SqliteStoreOptions } from '../src/store/sqlite-store.ts';
import { Statements } from '../src/store/statements.ts';
import { StoreError } from '../src/store/store.ts';
import { completedRecord, fullRecord, modelText, userText } from './helpers/records.ts';

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

/** A database file as a server at schema `version` left it: the first `version` migrations run, still open. */
function databaseAt(version: number): { path: string; raw: DatabaseSync } {
  const path = tempPath();
  const raw = new DatabaseSync(path);
  for (const migration of MIGRATIONS.slice(0, version)) raw.exec(migration as string);
  raw.exec(`PRAGMA user_version = ${version}`);
  return { path, raw };
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

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

describe('durability', () => {
  it('opens WAL with synchronous NORMAL by default and FULL when asked; refuses anything else', () => {
    expect(open().settings()).toEqual({ journalMode: 'wal', synchronous: 'normal' });
    expect(open({ durability: 'full' }).settings()).toEqual({ journalMode: 'wal', synchronous: 'full' });
    expect(() => open({ durability: 'extra' as never })).toThrow(/durability must be 'normal' or 'full'/);
  });
});

describe('chain read', () => {
  it("reads a chain's turns from its index alone, each turn's items as one value, empty sides left out", async () => {
    const path = tempPath();
    const store = SqliteStore.open({ path });
    stores.push(store);
    const call: Item = { type: 'function_call', id: 'c1', name: 'look', arguments: { q: '],[' } };
    const turns: [string, Item[], Item[]][] = [
      ['v1_r', [userText('héllo')], [modelText('hi')]],
      ['v1_s', [userText('look it up')], [call]],
      ['v1_t', [], [modelText('found')]],
      ['v1_u', [userText('thanks')], []],
      ['v1_v', [userText('bye')], [modelText('bye')]],
    ];
    for (const [i, [id, input, output]] of turns.entries()) {
      const previousId = i === 0 ? {} : { previousId: turns[i - 1]?.[0] };
      await store.createInteraction(completedRecord(id, { request: { input }, output, ...previousId }));
    }
    const read = vi.spyOn(Statements.prototype, 'allArrays');
    const chain = await store.loadChain('v1_v');
    expect(chain.items).toStrictEqual(turns.flatMap(([, input, output]) => [...input, ...output]));
    expect(chain.ids).toEqual(turns.map(([id]) => id));
    const turnsRead = read.mock.calls
      .map(([sql]) => sql)
      .find((sql) => sql.includes('interactions_by_chain'));
    read.mockRestore();
    // The turns come from the index: SQLite does not read their rows (each with its request) from the table.
    const raw = new DatabaseSync(path);
    const plan = raw.prepare(`EXPLAIN QUERY PLAN ${turnsRead}`).all('v1_r', 4, 0, 80);
    raw.close();
    expect(plan.map((step) => step.detail)).toEqual([
      expect.stringContaining('USING COVERING INDEX interactions_by_chain'),
    ]);
  });
});

describe('retention', () => {
  it('sweeps on a timer when retentionMs is set', async () => {
    // setImmediate stays real: the store's group commit runs on it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    try {
      const store = open({ path: ':memory:', retentionMs: 1_000, now: () => 0 });
      await store.createInteraction(completedRecord('v1_soon', { expiresAt: Date.now() + 500 }));
      await store.createInteraction(completedRecord('v1_later', { expiresAt: Date.now() + 60_000 }));
      vi.advanceTimersByTime(1_500);
      expect(await store.getInteraction('v1_soon', 'key-a')).toBeUndefined();
      expect(await store.getInteraction('v1_later', 'key-a')).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('lifecycle', () => {
  it('reopening the same file after close sees the data', async () => {
    const path = tempPath();
    const first = SqliteStore.open({ path });
    await first.createInteraction(fullRecord());
    await first.appendEvents('v1_full', [{ event: { event_type: 'step.stop', index: 0 } }]);
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
    expect(await second.getInteraction('v1_full', 'owner-hash')).toStrictEqual(fullRecord());
    expect(await second.listEvents('v1_full')).toHaveLength(1);
    expect([...((await second.readFileData('files/a', null)) ?? [])]).toEqual([7, 8, 9]);

    const raw = new DatabaseSync(path);
    expect(raw.prepare('PRAGMA user_version').get()).toEqual({ user_version: MIGRATIONS.length });
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    raw.close();
  });

  it('upgrades a v1 database: rows keep their stored logs, the event-id index is gone', async () => {
    const { path, raw } = databaseAt(1);
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
      { seq: 1, eventId: 'evt_1', event: { event_type: 'step.stop', index: 0, event_id: 'evt_1' } },
    ]);

    const check = new DatabaseSync(path);
    expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: MIGRATIONS.length });
    const indexes = check.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all();
    expect(indexes.map((row) => row.name)).not.toContain('events_by_event_id');
    check.close();
  });

  it('upgrades a v2 database: chains, requests and event logs read as before; the input leaves the request', async () => {
    const { path, raw } = databaseAt(2);
    const insert = raw.prepare(
      `INSERT INTO interactions (id, owner, status, created, updated, request_json, output_json, previous_id,
                                 depth, expires_at)
       VALUES (?, 'key-a', 'completed', 'c', 'u', ?, ?, ?, ?, ?)`,
    );
    const tools = [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }];
    for (const [depth, id] of ['v1_a', 'v1_b', 'v1_c'].entries()) {
      const request = { model: 'm', system_instruction: 'Be brief.', tools, input: [userText(`q ${id}`)] };
      insert.run(
        id,
        JSON.stringify(request),
        JSON.stringify([modelText(`a ${id}`)]),
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
      userText('q v1_a'),
      modelText('a v1_a'),
      userText('q v1_b'),
      modelText('a v1_b'),
      userText('q v1_c'),
      modelText('a v1_c'),
    ]);
    expect((await store.getInteraction('v1_b', 'key-a'))?.request).toStrictEqual({
      model: 'm',
      system_instruction: 'Be brief.',
      tools,
      input: [userText('q v1_b')],
    });
    // A chain begun before the upgrade can still be continued and read whole.
    await store.createInteraction(
      completedRecord('v1_d', { previousId: 'v1_c', request: { input: [userText('q v1_d')] } }),
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
    expect(JSON.parse(String(row?.input_json))).toStrictEqual([userText('q v1_a')]);
    check.close();
  });

  it('upgrades a v2 database with the indexes the list uses', async () => {
    const { path, raw } = databaseAt(2);
    raw.close();
    const store = open({ path });
    await store.createInteraction(completedRecord('v1_0001', { created: '2026-01-01T00:00:01Z' }));
    await store.createInteraction(
      completedRecord('v1_0002', { created: '2026-01-01T00:00:02Z', previousId: 'v1_0001' }),
    );
    const first = await store.listInteractions('key-a', { pageSize: 1 });
    const second = await store.listInteractions('key-a', { pageSize: 1, pageToken: first.nextPageToken! });
    expect([...first.interactions, ...second.interactions].map((i) => i.id)).toEqual(['v1_0002', 'v1_0001']);
    const check = new DatabaseSync(path);
    const names = check.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all();
    expect(names.map((row) => row.name)).toEqual(
      expect.arrayContaining(['interactions_by_owner', 'interactions_by_previous']),
    );
    check.close();
  });

  it('upgrades a v3 database: files keep their rows and bytes, and names become per owner', async () => {
    const { path, raw } = databaseAt(3);
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
    const { path, raw } = databaseAt(2);
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
});
