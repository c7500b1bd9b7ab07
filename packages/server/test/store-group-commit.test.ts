/**
 * Group commit (store/write-queue.ts): the writes of one event-loop turn share one transaction, each caller
 * resolved after the commit; a write that fails inside a shared transaction fails alone.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import type { InteractionRecord } from '../src/store/store.ts';
import { MAX_WRITES_PER_COMMIT } from '../src/store/write-queue.ts';

/** SQLite's default page size; a WAL frame is a page plus a 24-byte header. */
const PAGE_SIZE = 4096;

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(): { store: SqliteStore; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'interplay-group-'));
  dirs.push(dir);
  const path = join(dir, 'store.db');
  const store = SqliteStore.open({ path });
  stores.push(store);
  return { store, path };
}

const record = (id: string): InteractionRecord => ({
  id,
  owner: null,
  status: 'completed',
  created: '2026-01-01T00:00:00Z',
  updated: '2026-01-01T00:00:00Z',
  request: { input: [{ type: 'user_input', content: [{ type: 'text', text: id }] }] },
  output: [],
  background: false,
  expiresAt: Date.now() + 86_400_000,
});

describe('group commit', () => {
  it('commits the writes of one turn of the event loop together, and each caller after the commit', async () => {
    const { store, path } = open();
    const walBefore = statSync(`${path}-wal`).size;
    const ids = Array.from({ length: 20 }, (_, i) => `v1_g${i}`);
    const writes = ids.map((id) => store.createInteraction(record(id)));
    // Nothing is written until the end of this turn: another connection sees none of them yet.
    const other = SqliteStore.open({ path });
    stores.push(other);
    expect(await other.getInteraction('v1_g0', null)).toBeUndefined();
    await Promise.all(writes);
    // One commit: the write-ahead log grew by the few pages the rows share, not by a commit's pages per row.
    const walPages = (statSync(`${path}-wal`).size - walBefore) / PAGE_SIZE;
    expect(walPages).toBeLessThan(ids.length / 2);
    // Resolved means committed: visible to another connection.
    for (const id of ids) expect((await other.getInteraction(id, null))?.id).toBe(id);
  });

  it('a write that fails inside a shared transaction fails alone; the others are committed', async () => {
    const { store } = open();
    await store.createInteraction(record('v1_taken'));
    const results = await Promise.allSettled([
      store.createInteraction(record('v1_one')),
      store.createInteraction(record('v1_taken')), // duplicate id
      store.appendEvents('v1_ghost', [{ event: { event_type: 'step.stop', index: 0 } }], 1),
      store.createInteraction(record('v1_two')),
      store.finishInteraction('v1_one', { status: 'failed' }, [], 1),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
    expect((await store.getInteraction('v1_one', null))?.status).toBe('failed');
    expect((await store.getInteraction('v1_two', null))?.id).toBe('v1_two');
  });

  it('close() writes what is still queued', async () => {
    const { store, path } = open();
    const write = store.createInteraction(record('v1_last'));
    await store.close();
    await write;
    const again = SqliteStore.open({ path });
    stores.push(again);
    expect((await again.getInteraction('v1_last', null))?.id).toBe('v1_last');
  });

  it('an end queued before its row is written goes into that row: one finished INSERT, the same result', async () => {
    const { store } = open();
    const expiresAt = Date.now() + 86_400_000;
    const running = (id: string): InteractionRecord => ({ ...record(id), status: 'in_progress', expiresAt });
    const output = [{ type: 'model_output' as const, content: [{ type: 'text' as const, text: 'hi' }] }];
    const end = { status: 'completed' as const, updated: '2026-01-01T00:00:01Z', output, error: undefined };
    const closing = [
      { event: { event_type: 'step.stop' as const, index: 0 } },
      {
        event: {
          event_type: 'interaction.status_update' as const,
          interaction_id: 'x',
          status: 'completed' as const,
        },
      },
    ];
    // Apart: the row is committed first, its end later (a model that takes its time).
    const before = store.stats.statements;
    await store.createInteraction(running('v1_apart'));
    await store.finishInteraction('v1_apart', end, closing, 1);
    const apart = store.stats.statements - before;
    // Together: the end comes in the same turn of the event loop, before the row was written.
    const mid = store.stats.statements;
    await Promise.all([
      store.createInteraction(running('v1_together')),
      store.finishInteraction('v1_together', end, closing, 1),
    ]);
    const together = store.stats.statements - mid;
    expect(together).toBeLessThan(apart);
    const [a, b] = await Promise.all([
      store.getInteraction('v1_apart', null),
      store.getInteraction('v1_together', null),
    ]);
    // The same row but for its id and input (each names its id).
    expect({ ...b, id: a?.id, request: a?.request }).toEqual(a);
    expect(b?.status).toBe('completed');
    expect((await store.listEvents('v1_together')).map((e) => e.event)).toEqual(
      (await store.listEvents('v1_apart')).map((e) => e.event),
    );
    // Never stored as running: recovery after a crash would find nothing to fail.
    expect((await store.listUnfinished()).map((r) => r.id)).not.toContain('v1_together');
  });

  it('an end merged into a row that cannot be written fails with it', async () => {
    const { store } = open();
    await store.createInteraction(record('v1_dup'));
    const results = await Promise.allSettled([
      store.createInteraction({ ...record('v1_fresh'), status: 'in_progress' }),
      store.finishInteraction('v1_fresh', { status: 'completed' }, [], 1),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    // A duplicate id queued with its end: the INSERT is refused, and so is the end (nothing to end).
    const dup = await Promise.allSettled([
      store.createInteraction({ ...record('v1_dup'), status: 'in_progress' }),
      store.finishInteraction('v1_dup', { status: 'failed' }, [], 1),
    ]);
    expect(dup[0]).toMatchObject({ status: 'rejected', reason: { code: 'conflict' } });
    // The stored row is the first one's, untouched by the second one's end.
    expect((await store.getInteraction('v1_dup', null))?.status).toBe('completed');
  });

  it('a burst of writes is committed in parts, the event loop running between them; close() writes them all', async () => {
    const { store, path } = open();
    const other = SqliteStore.open({ path });
    stores.push(other);
    const ids = Array.from({ length: 3 * MAX_WRITES_PER_COMMIT + 5 }, (_, i) => `v1_burst${i}`);
    const writes = ids.map((id) => store.createInteraction(record(id)));
    // Queued after the first commit's turn: it runs before the rest are committed.
    const between = await new Promise<number>((resolve) => {
      setImmediate(async () => {
        const seen = await Promise.all(ids.map((id) => other.getInteraction(id, null)));
        resolve(seen.filter(Boolean).length);
      });
    });
    expect(between).toBe(MAX_WRITES_PER_COMMIT);
    await Promise.all(writes);
    for (const id of ids) expect((await other.getInteraction(id, null))?.id).toBe(id);

    const last = ids.map((id) => store.createInteraction(record(`${id}_last`)));
    await store.close();
    await Promise.all(last);
    for (const id of ids) expect((await other.getInteraction(`${id}_last`, null))?.id).toBe(`${id}_last`);
  });
});
