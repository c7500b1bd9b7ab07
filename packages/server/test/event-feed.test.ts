/**
 * The live feed of a running interaction read both ways: pulled with `for await`, and pushed to a sink by
 * `deliverTo`, which the SSE response uses (each live event handed over from the log's append). Both must give
 * every event once, in order, from any join point; a full sink holds back what follows until it can take
 * more; a sink's error reaches its reader, never the run appending events. Real SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalEvent } from '@interplay/protocol';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventFeed, LiveFeed } from '../src/runtime/event-feed.ts';
import { InteractionLog } from '../src/runtime/interaction-log.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import type { StoredEvent } from '../src/store/store.ts';
import { runningRecord } from './helpers/records.ts';

const logger = pino({ level: 'silent' });
let store: SqliteStore;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'interplay-event-feed-'));
  store = SqliteStore.open({ path: join(dir, 'store.db') });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const delta = (i: number): CanonicalEvent => ({
  event_type: 'step.delta',
  index: 0,
  delta: { type: 'text', text: `w${i} ` },
});

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const ended = { status: 'completed', updated: '2026-01-01T00:00:01Z' } as const;

async function openLog(id: string): Promise<InteractionLog> {
  const log = new InteractionLog(id, logger, { store, row: runningRecord(id) });
  expect(await log.created).toBe(true);
  return log;
}

function liveFeed(log: InteractionLog, afterSeq: number, signal?: AbortSignal): LiveFeed {
  const feed = eventFeed({ id: log.id, store, log, afterSeq, ...(signal ? { signal } : {}) });
  expect(feed).toBeInstanceOf(LiveFeed);
  return feed as LiveFeed;
}

const seqs = (events: StoredEvent[]) => events.map((e) => e.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('the live feed', () => {
  it('gives readers joining at any point every event once, in order, pulled or pushed', async () => {
    const log = await openLog('v1_feed_join');
    const readers: { after: number; got: Promise<StoredEvent[]> }[] = [];
    const join = (after: number, push: boolean) => {
      const feed = liveFeed(log, after);
      const got = (async () => {
        const out: StoredEvent[] = [];
        if (push) {
          await feed.deliverTo((e) => {
            out.push(e);
            return undefined;
          });
        } else {
          for await (const e of feed) out.push(e);
        }
        return out;
      })();
      readers.push({ after, got });
    };
    // Enough events that the log's buffer drops written ones: late readers replay those from the store.
    for (let i = 1; i <= 1500; i++) {
      log.append(delta(i));
      if (i % 9 === 0) await turn();
      if (i % 100 === 10) join(0, i % 200 === 10);
      if (i % 100 === 60) join(i - 30, i % 200 === 60);
    }
    // The last readers from 0 replayed what the buffer no longer held from the store.
    const buffered = log.subscribe(
      0,
      () => {},
      () => {},
    );
    buffered.unsubscribe();
    expect(buffered.backlog[0]?.seq ?? 0).toBeGreaterThan(1000);
    await log.end([delta(1501)], ended);
    for (const { after, got } of readers) expect(seqs(await got)).toEqual(range(after + 1, 1501));
    expect(readers.length).toBe(30);
  });

  it('holds back events while the sink is full, then hands them over in order', async () => {
    const log = await openLog('v1_feed_full');
    const feed = liveFeed(log, 0);
    const got: number[] = [];
    let release: (() => void) | undefined;
    const done = feed.deliverTo((e) => {
      got.push(e.seq);
      if (e.seq !== 3) return undefined;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await turn();
    for (let i = 1; i <= 6; i++) log.append(delta(i));
    // The sink said it was full at seq 3: 4–6 wait until it can take more.
    expect(got).toEqual([1, 2, 3]);
    await turn();
    expect(got).toEqual([1, 2, 3]);
    release?.();
    await turn();
    expect(got).toEqual([1, 2, 3, 4, 5, 6]);
    log.append(delta(7));
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await log.end([], ended);
    await done;
  });

  it("gives a sink's error to its reader, not to the run appending the event", async () => {
    const log = await openLog('v1_feed_throw');
    const feed = liveFeed(log, 0);
    const got: number[] = [];
    const done = feed.deliverTo((e) => {
      got.push(e.seq);
      if (e.seq === 2) throw new Error('sink broke');
      return undefined;
    });
    await turn();
    expect(() => {
      for (let i = 1; i <= 4; i++) log.append(delta(i));
    }).not.toThrow();
    await expect(done).rejects.toThrow('sink broke');
    expect(got).toEqual([1, 2]);
    await log.end([], ended);
  });

  it('ends when its signal aborts, and stops listening to the log', async () => {
    const log = await openLog('v1_feed_abort');
    const stop = new AbortController();
    const feed = liveFeed(log, 0, stop.signal);
    const got: number[] = [];
    const done = feed.deliverTo((e) => {
      got.push(e.seq);
      return undefined;
    });
    await turn();
    log.append(delta(1));
    stop.abort();
    await done;
    log.append(delta(2));
    expect(got).toEqual([1]);
    await log.end([], ended);
  });
});

describe('the log of a store:false interaction', () => {
  it('gives its reader the events before it subscribed, then each live one, and keeps none after', async () => {
    const log = new InteractionLog('v1_feed_storeless', logger);
    log.append(delta(1));
    log.append(delta(2));
    const feed = eventFeed({ id: log.id, store: undefined, log, afterSeq: 0 });
    const got: number[] = [];
    const done = (feed as LiveFeed).deliverTo((e) => {
      got.push(e.seq);
      return undefined;
    });
    for (let i = 3; i <= 5; i++) log.append(delta(i));
    // Nobody can join a store:false interaction later: what its reader took is not kept for another.
    const late = log.subscribe(
      0,
      () => {},
      () => {},
    );
    expect(late.backlog).toEqual([]);
    late.unsubscribe();
    await log.end([delta(6)], ended);
    await done;
    expect(got).toEqual(range(1, 6));
  });
});
