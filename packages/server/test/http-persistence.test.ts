/**
 * How creates are written and chains read: a foreground unary create is one row at its end, without an event
 * log (a replay derives it), unless it runs long or the server shuts down; the next turn of a chain reads its history from memory, never a
 * deleted or expired link.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { ManualEngine, RecordingEngine } from './helpers/engines.ts';
import { call, closeAll, events, sleep, startServer, textScript, waitFor } from './helpers/server.ts';

afterAll(closeAll);

const stores: SqliteStore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await closeAll();
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function openStore(path?: string): SqliteStore {
  let file = path;
  if (!file) {
    const dir = mkdtempSync(join(tmpdir(), 'interplay-persist-'));
    dirs.push(dir);
    file = join(dir, 'interplay.db');
  }
  const store = SqliteStore.open({ path: file });
  stores.push(store);
  return store;
}

const counters = (store: SqliteStore) => ({ ...store.stats });
const delta = (store: SqliteStore, before: { statements: number; transactions: number }) => ({
  statements: store.stats.statements - before.statements,
  transactions: store.stats.transactions - before.transactions,
});

const create = (url: string, body: Record<string, unknown>) =>
  call(`${url}/v1beta/interactions`, { body: { model: 'm', ...body } });

describe('a foreground unary create', () => {
  it('is written as one row with its final state and no event log', async () => {
    const store = openStore();
    const t = await startServer({ store, script: textScript('one two three four five') });
    const before = counters(store);
    const reply = await create(t.url, { input: 'Hi' });
    expect(reply.status).toBe(200);
    expect(reply.json.status).toBe('completed');
    // One INSERT (its own transaction) — and nothing after the response.
    await sleep(30);
    expect(delta(store, before)).toEqual({ statements: 1, transactions: 1 });

    const stored = await store.getInteraction(reply.json.id, null);
    expect(stored?.status).toBe('completed');
    expect(stored?.eventLog).toBe('derived');
    expect(stored?.output).toEqual([
      { type: 'model_output', content: [{ type: 'text', text: 'one two three four five' }] },
    ]);
    expect(await store.listEvents(reply.json.id)).toEqual([]);
  });

  it('replays a log derived from its final state: the streamed story, text in one delta, stable ids', async () => {
    const t = await startServer({ script: textScript('one two three four five') });
    const reply = await create(t.url, { input: 'Hi' });
    const replay = events((await call(`${t.url}/v1beta/interactions/${reply.json.id}?stream=true`)).text);
    const streamed = events((await create(t.url, { input: 'Hi', stream: true })).text);
    // The same events as a streaming create sends, except that consecutive text deltas come as one.
    const shape = (list: { event_type: string }[]) =>
      list.map((e) => e.event_type).filter((type, i, all) => type !== 'step.delta' || all[i - 1] !== type);
    expect(shape(replay)).toEqual(shape(streamed));
    expect(replay.map((e) => e.event_id)).toEqual(replay.map((_, i) => `evt_${i + 1}`));
    const text = replay.filter((e) => e.event_type === 'step.delta').map((e) => e.delta.text);
    expect(text).toEqual(['one two three four five']);
    expect(replay[0].interaction).toMatchObject({ id: reply.json.id, status: 'in_progress' });
    expect(replay.at(-1).interaction).toMatchObject({ status: 'completed', usage: reply.json.usage });

    // Resume after any event: the rest of the same log.
    const rest = events(
      (await call(`${t.url}/v1beta/interactions/${reply.json.id}?stream=true&last_event_id=evt_3`)).text,
    );
    expect(rest).toEqual(replay.slice(3));
    // An id past its end is refused like any unknown event id.
    const unknown = await call(
      `${t.url}/v1beta/interactions/${reply.json.id}?stream=true&last_event_id=evt_${replay.length + 1}`,
    );
    expect(unknown.status).toBe(400);
    // The legacy revision converts it like any log.
    const legacy = events(
      (
        await call(`${t.url}/v1beta/interactions/${reply.json.id}?stream=true`, {
          headers: { 'api-revision': '2026-05-07' },
        })
      ).text,
    );
    expect(legacy.map((e) => e.event_type)).toContain('content.delta');
    expect(legacy.at(-1).event_type).toBe('interaction.complete');
  });

  it('streaming and background creates still write their row first, then events, then the final state', async () => {
    const store = openStore();
    const t = await startServer({ store, script: textScript('a b c') });
    let before = counters(store);
    const streamed = events((await create(t.url, { input: 'Hi', stream: true })).text);
    await waitFor(async () =>
      (await store.getInteraction(streamed[0].interaction.id, null))?.status === 'completed'
        ? true
        : undefined,
    );
    expect(delta(store, before).transactions).toBeGreaterThanOrEqual(3);

    before = counters(store);
    const bg = await create(t.url, { input: 'Hi', background: true });
    expect(bg.json.status).toBe('in_progress');
    await waitFor(async () =>
      (await store.getInteraction(bg.json.id, null))?.status === 'completed' ? true : undefined,
    );
    expect(delta(store, before).transactions).toBeGreaterThanOrEqual(3);
  });

  it('is stored like any other run once it outlives the deferral limit, so a crash would find it', async () => {
    const store = openStore();
    const engine = new ManualEngine();
    const t = await startServer({ store, engine });
    const reply = create(t.url, { input: 'Hi' });
    const turn = await engine.next();
    const id = turn.input.interactionId;
    turn.text(0, ['partial', 'answer']);
    await sleep(200);
    expect(await store.getInteraction(id, null)).toBeUndefined(); // nobody could know it yet
    const row = await waitFor(async () => store.getInteraction(id, null), 3_000);
    expect(row.status).toBe('in_progress');
    // Its events so far were caught up behind the row, and a reader sees the output so far.
    await waitFor(async () => ((await store.listEvents(id)).length >= 6 ? true : undefined));
    const mid = await call(`${t.url}/v1beta/interactions/${id}`);
    expect(mid.json.status).toBe('in_progress');
    expect(mid.json.steps.at(-1).content[0].text).toBe('partial answer');

    turn.text(1, ['more']);
    turn.finish({
      status: 'completed',
      output: [
        { type: 'model_output', content: [{ type: 'text', text: 'partial answer' }] },
        { type: 'model_output', content: [{ type: 'text', text: 'more' }] },
      ],
      usage: {},
    });
    const done = await reply;
    expect(done.status).toBe(200);
    expect(done.json.status).toBe('completed');
    const log = await store.listEvents(id);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    // The events held while nobody could watch come first, in order, behind the lifecycle events.
    expect(log.slice(0, 5).map((e) => e.event.event_type)).toEqual([
      'interaction.created',
      'interaction.status_update',
      'step.start',
      'step.delta',
      'step.delta',
    ]);
    expect(log.at(-1)?.event.event_type).toBe('interaction.completed');
    expect((await store.getInteraction(id, null))?.status).toBe('completed');
  });

  it('is stored at once when the server starts shutting down', async () => {
    const store = openStore();
    const engine = new ManualEngine();
    const t = await startServer({ store, engine, shutdownGraceMs: 2_000 });
    const reply = create(t.url, { input: 'Hi' });
    const turn = await engine.next();
    const id = turn.input.interactionId;
    expect(await store.getInteraction(id, null)).toBeUndefined();
    const closing = t.server.close();
    const row = await waitFor(async () => store.getInteraction(id, null), 1_000);
    expect(row.status).toBe('in_progress'); // in the store during the grace period
    turn.finish({
      status: 'completed',
      output: [{ type: 'model_output', content: [{ type: 'text', text: 'in time' }] }],
      usage: {},
    });
    expect((await reply).json.status).toBe('completed');
    await closing;
    expect((await store.getInteraction(id, null))?.status).toBe('completed');
  });
});

describe('the next turn of a chain', () => {
  it('may follow a streamed turn at once: its final state is awaited, not reported as in progress', async () => {
    const t = await startServer({ script: textScript('streamed answer') });
    for (let i = 0; i < 5; i++) {
      const streamed = events((await create(t.url, { input: 'Hi', stream: true })).text);
      expect(streamed.at(-1).event_type).toBe('interaction.completed');
      // Sent the moment the stream ended, before its final update may have been committed.
      const next = await create(t.url, {
        input: 'next',
        previous_interaction_id: streamed[0].interaction.id,
      });
      expect(next.status).toBe(200);
      expect(next.json.status).toBe('completed');
    }
  });

  it('reads its history from memory from the third turn on: no query, one INSERT', async () => {
    const store = openStore();
    const engine = new RecordingEngine();
    const t = await startServer({ store, engine });
    const loads = vi.spyOn(store, 'loadChain');
    const first = await create(t.url, { input: 'first' });
    // A first turn is not cached (most are never continued): its second turn reads it from the store, once.
    const second = await create(t.url, { input: 'second', previous_interaction_id: first.json.id });
    expect(second.status).toBe(200);
    expect(loads).toHaveBeenCalledTimes(1);
    const before = counters(store);
    const third = await create(t.url, { input: 'third', previous_interaction_id: second.json.id });
    expect(loads).toHaveBeenCalledTimes(1);
    // The cache also answers the previous interaction's check (found, theirs, finished): only the row is
    // written (one INSERT, its own transaction).
    expect(delta(store, before)).toEqual({ statements: 1, transactions: 1 });
    // A second branch from the first turn finds it in memory too.
    await create(t.url, { input: 'second bis', previous_interaction_id: first.json.id });
    expect(loads).toHaveBeenCalledTimes(1);
    // Exactly what the store would have read.
    expect(engine.turns[1]?.history).toEqual(await store.loadHistory(first.json.id));
    expect(engine.turns[2]?.history).toEqual(await store.loadHistory(second.json.id));
    expect(engine.turns[2]?.history.length).toBe(4);
    expect(engine.turns[3]?.history).toEqual(engine.turns[1]?.history);
    expect(third.json.status).toBe('completed');
  });

  it('after a restart, reads a chain from the store once, then from memory', async () => {
    const store = openStore();
    const a = await startServer({ store, engine: new RecordingEngine() });
    const one = await create(a.url, { input: 'one' });
    const two = await create(a.url, { input: 'two', previous_interaction_id: one.json.id });
    await a.close();

    const engine = new RecordingEngine();
    const b = await startServer({ store, engine });
    const loads = vi.spyOn(store, 'loadChain');
    const three = await create(b.url, { input: 'three', previous_interaction_id: two.json.id });
    expect(loads).toHaveBeenCalledTimes(1);
    await create(b.url, { input: 'four', previous_interaction_id: three.json.id });
    await create(b.url, { input: 'three bis', previous_interaction_id: two.json.id });
    expect(loads).toHaveBeenCalledTimes(1);
    expect(engine.turns[1]?.history).toEqual(await store.loadHistory(three.json.id));
    expect(engine.turns[2]?.history).toEqual(engine.turns[0]?.history);
    expect(engine.turns[1]?.history).toHaveLength(6);
  });

  it('never sees a deleted link: deleting a turn drops every cached history that contains it', async () => {
    const store = openStore();
    const engine = new RecordingEngine();
    const t = await startServer({ store, engine });
    const t1 = await create(t.url, { input: 'one' });
    const t2 = await create(t.url, { input: 'two', previous_interaction_id: t1.json.id });
    const t3 = await create(t.url, { input: 'three', previous_interaction_id: t2.json.id });
    expect((await call(`${t.url}/v1beta/interactions/${t2.json.id}`, { method: 'DELETE' })).status).toBe(200);

    const loads = vi.spyOn(store, 'loadChain');
    await create(t.url, { input: 'four', previous_interaction_id: t3.json.id });
    expect(loads).toHaveBeenCalledTimes(1); // the cached history of t3 held t2's items: gone
    // The store's chain ends at the deleted link: only t3 is left.
    expect(engine.turns[3]?.history).toEqual([
      { type: 'user_input', content: [{ type: 'text', text: 'three' }] },
      { type: 'model_output', content: [{ type: 'text', text: 'ok' }] },
    ]);
    expect(engine.turns[3]?.history).toEqual(await store.loadHistory(t3.json.id));
    // And the deleted one itself cannot be continued.
    const gone = await create(t.url, { input: 'x', previous_interaction_id: t2.json.id });
    expect(gone.status).toBe(404);
  });

  it('never sees an expired link', async () => {
    const store = openStore();
    const engine = new RecordingEngine();
    const t = await startServer({ store, engine, retentionMs: 1_000, expireIntervalMs: 60_000 });
    const t1 = await create(t.url, { input: 'one' });
    await sleep(500);
    const t2 = await create(t.url, { input: 'two', previous_interaction_id: t1.json.id });
    expect(engine.turns[1]?.history).toHaveLength(2);
    // t1 has expired, t2 has not: the store's chain of t2 is t2 alone, and so must the history be.
    await waitFor(async () => ((await store.getInteraction(t1.json.id, null)) ? undefined : true), 3_000);
    expect(await store.getInteraction(t2.json.id, null)).toBeDefined();
    const t3 = await create(t.url, { input: 'three', previous_interaction_id: t2.json.id });
    expect(t3.status).toBe(200);
    expect(engine.turns[2]?.history).toEqual([
      { type: 'user_input', content: [{ type: 'text', text: 'two' }] },
      { type: 'model_output', content: [{ type: 'text', text: 'ok' }] },
    ]);
  });
});
