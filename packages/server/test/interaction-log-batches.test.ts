/**
 * When a running interaction's events reach the store: in batches, each written once its window closes
 * (FLUSH_WINDOW_MS after its first event) or at once when MAX_BATCH events wait — not once per turn of the event
 * loop. A reader joining while a batch waits still gets every event once, in order. Real SQLite file; only
 * `setTimeout` is faked, so the window closes when the test says (the store's own group commit runs as usual).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalEvent } from '@interplay/protocol';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventFeed } from '../src/runtime/event-feed.ts';
import { FLUSH_WINDOW_MS, InteractionLog, MAX_BATCH } from '../src/runtime/interaction-log.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import type { Store, StoredEvent } from '../src/store/store.ts';
import { runningRecord } from './helpers/records.ts';

const logger = pino({ level: 'silent' });
let store: SqliteStore;
let dir: string;
/** How many times `appendEvents` was called on the store. */
let appends = 0;
let counted: Store;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  dir = mkdtempSync(join(tmpdir(), 'interplay-log-batches-'));
  store = SqliteStore.open({ path: join(dir, 'store.db') });
  appends = 0;
  counted = new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (key === 'appendEvents') appends += 1;
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
});

afterEach(async () => {
  vi.useRealTimers();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const row = runningRecord;

const delta = (i: number): CanonicalEvent => ({
  event_type: 'step.delta',
  index: 0,
  delta: { type: 'text', text: `w${i} ` },
});

/** A turn of the event loop (after the I/O and writes waiting now). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function openLog(id: string): Promise<InteractionLog> {
  const log = new InteractionLog(id, logger, { store: counted, row: row(id) });
  expect(await log.created).toBe(true);
  return log;
}

/** Lets writes already handed to the store finish. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await turn();
}

describe('event batches of a running interaction', () => {
  it('wait for their window across turns of the event loop, then go in one write', async () => {
    const log = await openLog('v1_window');
    for (let i = 0; i < 10; i++) {
      log.append(delta(i));
      await turn();
    }
    await settle();
    expect(appends).toBe(0);
    expect(await store.listEvents('v1_window')).toEqual([]);

    vi.advanceTimersByTime(FLUSH_WINDOW_MS);
    await settle();
    expect(appends).toBe(1);
    const stored = await store.listEvents('v1_window');
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(stored.map((e) => e.eventId)).toEqual(stored.map((e) => `evt_${e.seq}`));
  });

  it('that came before the row was written wait for their window from the row on', async () => {
    const log = new InteractionLog('v1_early', logger, { store: counted, row: row('v1_early') });
    for (let i = 0; i < 3; i++) log.append(delta(i));
    expect(await log.created).toBe(true);
    await settle();
    expect(appends).toBe(0);

    vi.advanceTimersByTime(FLUSH_WINDOW_MS);
    await settle();
    expect(appends).toBe(1);
    expect((await store.listEvents('v1_early')).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('are written at once when MAX_BATCH events wait, without waiting for the window', async () => {
    const log = await openLog('v1_full');
    for (let i = 0; i < MAX_BATCH + 3; i++) log.append(delta(i));
    await settle();
    expect(appends).toBe(1);
    expect((await store.listEvents('v1_full')).length).toBe(MAX_BATCH);

    // The rest waits for its own window, and the end writes nothing twice.
    await log.end([], { status: 'completed', updated: '2026-01-01T00:00:01Z' });
    const stored = await store.listEvents('v1_full');
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(stored.length).toBe(MAX_BATCH + 3);
  });

  it('give a reader joining at any point every event once, in order, from the store and from memory', async () => {
    const log = await openLog('v1_join');
    const readers: { after: number; got: Promise<StoredEvent[]> }[] = [];
    const join = (after: number) => {
      const got = (async () => {
        const out: StoredEvent[] = [];
        for await (const e of eventFeed({ id: 'v1_join', store: counted, log, afterSeq: after })) out.push(e);
        return out;
      })();
      readers.push({ after, got });
    };
    let seq = 0;
    // Written batches, one waiting for its window, and events still coming: readers join in each state.
    for (let i = 0; i < 700; i++) {
      log.append(delta(i));
      seq += 1;
      if (i % 7 === 0) await turn();
      if (i % 50 === 10) join(0);
      if (i % 50 === 30) join(Math.max(0, seq - 40));
      if (i % 100 === 60) {
        vi.advanceTimersByTime(FLUSH_WINDOW_MS);
        join(seq);
      }
    }
    expect(appends).toBeGreaterThan(1);
    await log.end([delta(700)], { status: 'completed', updated: '2026-01-01T00:00:01Z' });
    const total = seq + 1;
    const stored = await store.listEvents('v1_join');
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const r of readers) {
      const got = await r.got;
      expect(got.map((e) => e.seq)).toEqual(
        Array.from({ length: total - r.after }, (_, i) => r.after + i + 1),
      );
    }
    expect(readers.length).toBe(35);
  });
});
