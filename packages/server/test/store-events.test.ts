import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CanonicalEvent } from '@interplay/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import type { InteractionRecord } from '../src/store/store.ts';

const stores: SqliteStore[] = [];
const dirs: string[] = [];

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'interplay-events-'));
  dirs.push(dir);
  return join(dir, 'store.db');
}

function open(path = tempPath()): SqliteStore {
  const store = SqliteStore.open({ path });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const record = (id: string): InteractionRecord => ({
  id,
  owner: null,
  status: 'in_progress',
  created: '2026-01-01T00:00:00Z',
  updated: '2026-01-01T00:00:00Z',
  request: { input: [] },
  output: [],
  background: true,
  expiresAt: Date.now() + 86_400_000,
});

const delta = (text: string): CanonicalEvent => ({
  event_type: 'step.delta',
  index: 0,
  delta: { type: 'text', text },
});

const batch = (prefix: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    eventId: `${prefix}${from + i}`,
    event: delta(`w${from + i} ✓`),
  }));

describe('event log', () => {
  it('appends with consecutive seq, lists after a seq, knows which seqs it has', async () => {
    const store = open();
    await store.createInteraction(record('v1_a'));
    await store.createInteraction(record('v1_b'));
    await store.appendEvents('v1_a', batch('a', 1, 3));
    await store.appendEvents('v1_b', batch('b', 1, 2));
    await store.appendEvents('v1_a', batch('a', 4, 2));
    await store.appendEvents('v1_a', []);

    const all = await store.listEvents('v1_a');
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all.map((e) => e.eventId)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(all[3]).toStrictEqual({ seq: 4, eventId: 'a4', event: delta('w4 ✓') });

    expect((await store.listEvents('v1_a', 3)).map((e) => e.seq)).toEqual([4, 5]);
    expect((await store.listEvents('v1_a', 1, 2)).map((e) => e.seq)).toEqual([2, 3]);
    expect(await store.listEvents('v1_a', 5)).toEqual([]);
    expect((await store.listEvents('v1_b')).map((e) => e.seq)).toEqual([1, 2]);

    expect(await store.hasEvent('v1_a', 4)).toBe(true);
    expect(await store.hasEvent('v1_b', 4)).toBe(false);
    expect(await store.hasEvent('v1_a', 6)).toBe(false);
  });

  it('rejects events for an interaction that is not stored, and deletes events with their interaction', async () => {
    const store = open();
    await expect(store.appendEvents('v1_ghost', batch('g', 1, 1))).rejects.toMatchObject({
      code: 'not_found',
    });

    await store.createInteraction(record('v1_a'));
    await store.appendEvents('v1_a', batch('a', 1, 10));
    expect(await store.deleteInteraction('v1_a', null)).toBe(true);
    expect(await store.listEvents('v1_a')).toEqual([]);
    expect(await store.hasEvent('v1_a', 3)).toBe(false);
  });

  it('handles a 10,000-event log in batched statements', async () => {
    const store = open();
    await store.createInteraction(record('v1_big'));

    const before = store.stats.statements;
    const started = performance.now();
    await store.appendEvents('v1_big', batch('e', 1, 10_000));
    const appendMs = performance.now() - started;
    // Multi-row inserts: a few dozen statements, not 10,000.
    expect(store.stats.statements - before).toBeLessThan(60);

    // Plus a second log built from many small appends, like a live stream.
    for (let i = 0; i < 100; i++) await store.appendEvents('v1_big', batch('s', i * 10, 10));

    const listed = await store.listEvents('v1_big');
    expect(listed).toHaveLength(11_000);
    expect(listed.every((e, i) => e.seq === i + 1)).toBe(true);
    expect(listed[9_999]).toStrictEqual({ seq: 10_000, eventId: 'e10000', event: delta('w10000 ✓') });
    expect((await store.listEvents('v1_big', 10_990)).map((e) => e.eventId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `s${990 + i}`),
    );
    expect(await store.hasEvent('v1_big', 7_777)).toBe(true);
    // Generous bound: catches per-row commits (seconds), not machine noise.
    expect(appendMs).toBeLessThan(2_000);
  });

  it('two store instances on one file interleave appends without corruption', async () => {
    const path = tempPath();
    const a = open(path);
    const b = open(path);
    await a.createInteraction(record('v1_shared'));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).appendEvents('v1_shared', batch(`x${i}-`, 0, 5))),
    );
    const events = await b.listEvents('v1_shared');
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.eventId)).size).toBe(200);
  });

  it('two processes appending to the same file at once keep a gapless, duplicate-free log', async () => {
    const path = tempPath();
    const store = open(path);
    await store.createInteraction(record('v1_shared'));

    const module = pathToFileURL(join(import.meta.dirname, '../src/store/sqlite-store.ts')).href;
    const script = `
      const [module, path, tag, startAt] = process.argv.slice(1);
      const { SqliteStore } = await import(module);
      const store = SqliteStore.open({ path });
      // Both writers start together, so their transactions really contend for the lock.
      await new Promise((r) => setTimeout(r, Number(startAt) - Date.now()));
      for (let b = 0; b < 200; b++) {
        const events = Array.from({ length: 10 }, (_, i) => ({
          eventId: tag + '-' + (b * 10 + i),
          event: { event_type: 'step.delta', index: 0, delta: { type: 'text', text: tag } },
        }));
        await store.appendEvents('v1_shared', events);
      }
      await store.close();
    `;
    const startAt = String(Date.now() + 500);
    const run = (tag: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--input-type=module', '-e', script, module, path, tag, startAt],
          {
            stdio: ['ignore', 'ignore', 'pipe'],
          },
        );
        let stderr = '';
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
        });
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`${tag} exited ${code}: ${stderr}`)),
        );
      });
    await Promise.all([run('p'), run('q')]);

    const events = await store.listEvents('v1_shared');
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 4_000 }, (_, i) => i + 1));
    for (const tag of ['p', 'q']) {
      // Each writer's events are all there, in the order it wrote them.
      const mine = events
        .filter((e) => e.eventId.startsWith(`${tag}-`))
        .map((e) => Number(e.eventId.slice(2)));
      expect(mine).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
    }
  });

  it('appends at the seq the caller gives, in one statement, and refuses a seq already taken', async () => {
    const store = open();
    await store.createInteraction(record('v1_seq'));
    let before = { ...store.stats };
    await store.appendEvents('v1_seq', batch('a', 1, 3), 1);
    // One multi-row INSERT: no seq lookup, no BEGIN/COMMIT around a single statement.
    expect(store.stats.statements - before.statements).toBe(1);
    expect(store.stats.transactions - before.transactions).toBe(1);
    await store.appendEvents('v1_seq', batch('a', 4, 2), 4);
    expect((await store.listEvents('v1_seq')).map((e) => [e.seq, e.eventId])).toEqual([
      [1, 'a1'],
      [2, 'a2'],
      [3, 'a3'],
      [4, 'a4'],
      [5, 'a5'],
    ]);
    await expect(store.appendEvents('v1_seq', batch('b', 1, 1), 5)).rejects.toMatchObject({
      code: 'conflict',
    });
    // More than one INSERT's worth still goes in one transaction.
    before = { ...store.stats };
    await store.appendEvents('v1_seq', batch('c', 6, 600), 6);
    expect(store.stats.transactions - before.transactions).toBe(1);
    expect((await store.listEvents('v1_seq')).map((e) => e.seq)).toEqual(
      Array.from({ length: 605 }, (_, i) => i + 1),
    );
  });
});
