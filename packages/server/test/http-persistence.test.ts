/**
 * How a stored interaction is written — one way for every create (unary, streaming, background): its row when
 * the run starts, its events in batches, its end (last events and final state) in one transaction before
 * anyone sees it end. A failed write is never acknowledged and never leaves a run `in_progress` for good.
 * The next turn of a chain reads its history from memory, never a deleted or expired link.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { RESTART_ERROR } from '../src/runtime/recovery.ts';
import { NOT_STORED_ERROR } from '../src/runtime/run.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { ManualEngine, RecordingEngine } from './helpers/engines.ts';
import { failingStore } from './helpers/failing-store.ts';
import { call, closeAll, events, startServer, textScript, waitFor } from './helpers/server.ts';

afterAll(closeAll);

const stores: SqliteStore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await closeAll();
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function openStore(now?: () => number): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'interplay-persist-'));
  dirs.push(dir);
  const store = SqliteStore.open({ path: join(dir, 'interplay.db'), ...(now ? { now } : {}) });
  stores.push(store);
  return store;
}

const create = (url: string, body: Record<string, unknown>) =>
  call(`${url}/v1beta/interactions`, { body: { model: 'm', ...body } });

const types = (list: { event_type: string }[]) => list.map((e) => e.event_type);

describe('a unary create', () => {
  it('is in the store while it runs, with its events; its end is one write before the answer', async () => {
    const store = openStore();
    const engine = new ManualEngine();
    const t = await startServer({ store, engine });
    const reply = create(t.url, { input: 'Hi' });
    const turn = await engine.next();
    const id = turn.input.interactionId;
    turn.text(0, ['partial', 'answer']);
    // Its row was written as the run started, its events follow in batches.
    await waitFor(async () => ((await store.listEvents(id)).length >= 6 ? true : undefined));
    expect((await store.getInteraction(id, null))?.status).toBe('in_progress');
    const mid = await call(`${t.url}/v1beta/interactions/${id}`);
    expect(mid.json.status).toBe('in_progress');
    expect(mid.json.steps.at(-1).content[0].text).toBe('partial answer');

    turn.finish({
      status: 'completed',
      output: [{ type: 'model_output', content: [{ type: 'text', text: 'partial answer' }] }],
      usage: {},
    });
    const done = await reply;
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ id, status: 'completed' });
    // Answered after its end was stored: the final state and the whole log, numbered without gaps.
    expect((await store.getInteraction(id, null))?.status).toBe('completed');
    const log = await store.listEvents(id);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(types(log.map((e) => e.event))).toEqual([
      'interaction.created',
      'interaction.status_update',
      'step.start',
      'step.delta',
      'step.delta',
      'step.stop',
      'interaction.status_update',
      'interaction.completed',
    ]);
  });

  it('replays the events a streaming create sends, and resumes after any of them', async () => {
    const t = await startServer({ script: textScript('one two three four five') });
    const reply = await create(t.url, { input: 'Hi' });
    const url = `${t.url}/v1beta/interactions/${reply.json.id}`;
    const replay = events((await call(`${url}?stream=true`)).text);
    const streamed = events((await create(t.url, { input: 'Hi', stream: true })).text);
    const story = (list: { event_type: string; delta?: unknown }[]) =>
      list.map((e) => [e.event_type, e.delta ?? null]);
    expect(story(replay)).toEqual(story(streamed));
    expect(replay.map((e) => e.event_id)).toEqual(replay.map((_, i) => `evt_${i + 1}`));
    expect(replay.at(-1).interaction).toMatchObject({ status: 'completed', usage: reply.json.usage });

    const rest = events((await call(`${url}?stream=true&last_event_id=evt_3`)).text);
    expect(rest).toEqual(replay.slice(3));
    const unknown = await call(`${url}?stream=true&last_event_id=evt_${replay.length + 1}`);
    expect(unknown.status).toBe(400);
    const legacy = events(
      (await call(`${url}?stream=true`, { headers: { 'api-revision': '2026-05-07' } })).text,
    );
    expect(types(legacy)).toContain('content.delta');
    expect(legacy.at(-1).event_type).toBe('interaction.complete');
  });

  it('still running at shutdown finishes within the grace period, stored', async () => {
    const store = openStore();
    const engine = new ManualEngine();
    const t = await startServer({ store, engine, shutdownGraceMs: 5_000 });
    const reply = create(t.url, { input: 'Hi' });
    const turn = await engine.next();
    const id = turn.input.interactionId;
    // Written as the run started (the engine may begin before the commit).
    const row = await waitFor(async () => store.getInteraction(id, null));
    expect(row.status).toBe('in_progress');
    const closing = t.server.close();
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

describe('background and streaming creates', () => {
  it('answer with an id that is already stored', async () => {
    const store = openStore();
    const engine = new ManualEngine();
    const t = await startServer({ store, engine });
    const bg = await create(t.url, { input: 'Hi', background: true });
    expect(bg.json.status).toBe('in_progress');
    expect((await store.getInteraction(bg.json.id, null))?.status).toBe('in_progress');
    (await engine.next()).finish({ status: 'completed', output: [], usage: {} });

    const res = await fetch(`${t.url}/v1beta/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', input: 'Hi', stream: true }),
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const streamedId = /"id":"(v1_[^"]+)"/.exec(first)?.[1] as string;
    expect((await store.getInteraction(streamedId, null))?.status).toBe('in_progress');
    (await engine.next()).finish({ status: 'completed', output: [], usage: {} });
    while (!(await reader.read()).done);
  });
});

describe('a failed write', () => {
  it('of the final state: the client gets an error, and the interaction reads failed, never completed', async () => {
    const inner = openStore();
    const failures = { finishInteraction: 1 };
    const engine = new ManualEngine();
    const t = await startServer({ store: failingStore(inner, failures), engine });
    const reply = create(t.url, { input: 'Hi' });
    const turn = await engine.next();
    const id = turn.input.interactionId;
    turn.text(0, ['an', 'answer']);
    turn.finish({
      status: 'completed',
      output: [{ type: 'model_output', content: [{ type: 'text', text: 'an answer' }] }],
      usage: {},
    });
    const done = await reply;
    expect(done.status).toBe(500);
    expect(done.json.error).toMatchObject({ code: 'api_error', message: NOT_STORED_ERROR.message });
    expect(done.text).not.toContain(id);
    expect(failures.finishInteraction).toBe(0);
    // The failure was recorded in its place: the row and the log end failed.
    const got = await call(`${t.url}/v1beta/interactions/${id}`);
    expect(got.json).toMatchObject({ status: 'failed' });
    const log = (await inner.listEvents(id)).map((e) => e.event);
    expect(types(log).slice(-3)).toEqual(['error', 'interaction.status_update', 'interaction.completed']);
    expect(log.at(-1)).toMatchObject({ interaction: { status: 'failed' } });
  });

  it('of the final state, streamed: the stream ends with the error and the failed status', async () => {
    const inner = openStore();
    const t = await startServer({
      store: failingStore(inner, { finishInteraction: 1 }),
      script: textScript('an answer'),
    });
    const streamed = events((await create(t.url, { input: 'Hi', stream: true })).text);
    expect(types(streamed).slice(-3)).toEqual([
      'error',
      'interaction.status_update',
      'interaction.completed',
    ]);
    expect(streamed.at(-3).error).toEqual(NOT_STORED_ERROR);
    expect(streamed.at(-1).interaction.status).toBe('failed');
    expect((await inner.getInteraction(streamed[0].interaction.id, null))?.status).toBe('failed');
  });

  it('that keeps failing leaves the row in_progress only until the next start fails it', async () => {
    const inner = openStore();
    const failures = { finishInteraction: 2 };
    const a = await startServer({ store: failingStore(inner, failures), script: textScript('an answer') });
    const reply = await create(a.url, { input: 'Hi' });
    expect(reply.status).toBe(500);
    expect(reply.json.error.code).toBe('api_error');
    const [stuck] = await inner.listUnfinished();
    expect(stuck?.status).toBe('in_progress');
    await a.close();

    // The next start (a restart on the same database) ends it.
    const b = await startServer({ store: inner, script: textScript('an answer') });
    const got = await call(`${b.url}/v1beta/interactions/${stuck?.id}`);
    expect(got.json).toMatchObject({ status: 'failed' });
    expect((await inner.getInteraction(stuck?.id as string, null))?.error).toEqual(RESTART_ERROR);
    expect(await inner.listUnfinished()).toEqual([]);
  });

  it('of the row: nothing runs on, nothing is stored, the client gets an error without an id', async () => {
    const inner = openStore();
    const failures = { createInteraction: 3 };
    const t = await startServer({ store: failingStore(inner, failures), script: textScript('an answer') });
    for (const body of [{ input: 'Hi' }, { input: 'Hi', background: true }, { input: 'Hi', stream: true }]) {
      const reply = await create(t.url, body);
      expect(reply.status).toBe(500);
      expect(reply.json.error).toMatchObject({ code: 'api_error', message: NOT_STORED_ERROR.message });
    }
    expect(failures.createInteraction).toBe(0);
    expect(t.server.running).toBe(0);
    expect(await inner.listUnfinished()).toEqual([]);
  });
});

describe('the next turn of a chain', () => {
  it('may follow a streamed turn at once: its end is stored before the stream ends', async () => {
    const t = await startServer({ script: textScript('streamed answer') });
    for (let i = 0; i < 5; i++) {
      const streamed = events((await create(t.url, { input: 'Hi', stream: true })).text);
      expect(streamed.at(-1).event_type).toBe('interaction.completed');
      const next = await create(t.url, {
        input: 'next',
        previous_interaction_id: streamed[0].interaction.id,
      });
      expect(next.status).toBe(200);
      expect(next.json.status).toBe('completed');
    }
  });

  it('may follow a background turn as soon as a GET shows it finished', async () => {
    const engine = new ManualEngine();
    const t = await startServer({ engine });
    for (let i = 0; i < 5; i++) {
      const bg = await create(t.url, { input: 'Hi', background: true });
      (await engine.next()).finish({ status: 'completed', output: [], usage: {} });
      await waitFor(async () => {
        const got = await call(`${t.url}/v1beta/interactions/${bg.json.id}`);
        return got.json.status === 'completed' ? true : undefined;
      });
      const next = create(t.url, { input: 'next', previous_interaction_id: bg.json.id });
      (await engine.next()).finish({ status: 'completed', output: [], usage: {} });
      expect((await next).status).toBe(200);
    }
  });

  it('reads its history from memory from the third turn on', async () => {
    const store = openStore();
    const engine = new RecordingEngine();
    const t = await startServer({ store, engine });
    const loads = vi.spyOn(store, 'loadChain');
    const first = await create(t.url, { input: 'first' });
    // A first turn is not cached (most are never continued): its second turn reads it from the store, once.
    const second = await create(t.url, { input: 'second', previous_interaction_id: first.json.id });
    expect(second.status).toBe(200);
    expect(loads).toHaveBeenCalledTimes(1);
    const third = await create(t.url, { input: 'third', previous_interaction_id: second.json.id });
    expect(loads).toHaveBeenCalledTimes(1);
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

  it('keeps as many conversations continued in turn as it has entries', async () => {
    // Each turn supersedes the history its chain was continued from: one place per conversation, not two.
    const store = openStore();
    const engine = new RecordingEngine();
    const t = await startServer({ store, engine, historyCache: { maxEntries: 3 } });
    const loads = vi.spyOn(store, 'loadChain');
    const heads: string[] = [];
    for (const name of ['a', 'b', 'c']) heads.push((await create(t.url, { input: name })).json.id);
    for (let turn = 2; turn <= 5; turn++) {
      for (let chain = 0; chain < heads.length; chain++) {
        const next = await create(t.url, { input: `turn ${turn}`, previous_interaction_id: heads[chain] });
        expect(next.json.status).toBe('completed');
        heads[chain] = next.json.id;
      }
    }
    // Each chain's first turn, read once for its second; every later turn from memory.
    expect(loads).toHaveBeenCalledTimes(3);
    for (const [chain, head] of heads.entries()) {
      expect(engine.turns.at(chain - 3)?.history).toEqual(
        await store.loadHistory((await store.getInteraction(head, null))?.previousId as string),
      );
    }
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

  it('checks the turn it continues in the read of its history: the same statements at any depth', async () => {
    const store = openStore();
    const engine = new RecordingEngine();
    // No cache: every continued turn reads its history from the store.
    const t = await startServer({ store, engine, historyCache: false });
    const statementsOf = async (body: Record<string, unknown>) => {
      const before = store.stats.statements;
      const reply = await create(t.url, body);
      expect(reply.status).toBe(200);
      return { id: reply.json.id as string, statements: store.stats.statements - before };
    };
    const first = await statementsOf({ input: 'turn 0' });
    const costs: number[] = [];
    let head = first.id;
    for (let turn = 1; turn <= 40; turn++) {
      const next = await statementsOf({ input: `turn ${turn}`, previous_interaction_id: head });
      costs.push(next.statements - first.statements);
      head = next.id;
    }
    // The head with its owner and status, the chain's later turns in one range, its first turn: nothing more
    // (no separate read of the previous turn), whatever the depth.
    expect(new Set(costs)).toEqual(new Set([3]));
    // And the history is all of it, as the store reads it.
    expect(engine.turns.at(-1)?.history).toHaveLength(80);
    expect(engine.turns.at(-1)?.history).toEqual(
      await store.loadHistory(engine.turns.at(-2)?.input.interactionId ?? ''),
    );
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
    // One clock for the server and the store, moved by the test: expiry without waiting for it.
    let now = Date.now();
    const store = openStore(() => now);
    const engine = new RecordingEngine();
    const t = await startServer({ store, engine, retentionMs: 1_000, expireIntervalMs: 60_000 });
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const t1 = await create(t.url, { input: 'one' });
      now += 500;
      const t2 = await create(t.url, { input: 'two', previous_interaction_id: t1.json.id });
      expect(engine.turns[1]?.history).toHaveLength(2);
      // t1 has expired, t2 has not: the store's chain of t2 is t2 alone, and so must the history be.
      now += 700;
      await store.expire(now);
      expect(await store.getInteraction(t2.json.id, null)).toBeDefined();
      const t3 = await create(t.url, { input: 'three', previous_interaction_id: t2.json.id });
      expect(t3.status).toBe(200);
      expect(engine.turns[2]?.history).toEqual([
        { type: 'user_input', content: [{ type: 'text', text: 'two' }] },
        { type: 'model_output', content: [{ type: 'text', text: 'ok' }] },
      ]);
    } finally {
      clock.mockRestore();
    }
  });
});
