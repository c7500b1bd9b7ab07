/** background:true, cancel, delete during a run, and what a disconnect does to a run. */
import { afterAll, describe, expect, it } from 'vitest';
import { heldBackgroundRun } from './helpers/engines.ts';
import { call, closeAll, events, manyWords, startServer, textScript, waitFor } from './helpers/server.ts';

afterAll(closeAll);

describe('background', () => {
  it('answers in_progress at once, runs on, and GET later shows it completed', async () => {
    const t = await startServer({ script: textScript(manyWords(20), 10) });
    const post = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'Hi', background: true },
    });
    expect(post.status).toBe(200);
    // The answer came while the run (≥ 200 ms of deltas) was still going.
    expect(post.json).toMatchObject({ status: 'in_progress', object: 'interaction', steps: [] });
    expect(t.server.running).toBe(1);
    const running = await call(`${t.url}/v1beta/interactions/${post.json.id}`);
    expect(running.json.status).toBe('in_progress');
    const done = await waitFor(async () => {
      const r = await call(`${t.url}/v1beta/interactions/${post.json.id}`);
      return r.json.status === 'completed' ? r.json : undefined;
    });
    expect(done.steps.at(-1).content[0].text).toBe(manyWords(20));
    expect(done.usage.total_output_tokens).toBe(20);
  });

  it('background with store:false is 400 invalid_request naming background', async () => {
    const t = await startServer();
    const reply = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'Hi', background: true, store: false },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe('invalid_request');
    expect(reply.json.error.message).toContain('background');
  });

  it('cancel aborts a running background run: status cancelled, partial output kept, stream ends', async () => {
    const { t, id, turn } = await heldBackgroundRun();
    turn.sink.emit({ event_type: 'step.start', index: 0, step: { type: 'model_output', content: [] } });
    turn.sink.emit({ event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'word1 word2' } });
    const cancel = await call(`${t.url}/v1beta/interactions/${id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    expect(cancel.json.status).toBe('cancelled');
    expect(turn.input.signal.aborted).toBe(true);
    expect(t.server.running).toBe(0);
    // The engine goes on emitting (it has not noticed the abort yet): nothing more is appended.
    turn.sink.emit({ event_type: 'step.delta', index: 0, delta: { type: 'text', text: ' word3' } });
    turn.finish({ status: 'completed', output: [], usage: {} });
    const got = await call(`${t.url}/v1beta/interactions/${id}`);
    expect(got.json.status).toBe('cancelled');
    expect(got.json.steps.at(-1).content[0].text).toBe('word1 word2');
    // The log ends with the cancellation, so a replay terminates.
    const replay = events((await call(`${t.url}/v1beta/interactions/${id}?stream=true`)).text);
    expect(replay.filter((e) => e.event_type === 'step.delta').map((e) => e.delta.text)).toEqual([
      'word1 word2',
    ]);
    expect(replay.at(-2)).toMatchObject({ event_type: 'interaction.status_update', status: 'cancelled' });
    expect(replay.at(-1)).toMatchObject({
      event_type: 'interaction.completed',
      interaction: { status: 'cancelled' },
    });
    // A second cancel: already finished.
    const twice = await call(`${t.url}/v1beta/interactions/${id}/cancel`, { method: 'POST' });
    expect(twice.status).toBe(400);
    expect(twice.json.error.code).toBe('failed_precondition');
  });

  it('cancel of a running non-background interaction is 400 failed_precondition', async () => {
    const t = await startServer({ script: textScript(manyWords(100), 10) });
    const streaming = fetch(`${t.url}/v1beta/interactions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', input: 'Hi', stream: true }),
    });
    const res = await streaming;
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const id = /"id":"(v1_[^"]+)"/.exec(first)?.[1];
    expect(id).toBeDefined();
    const cancel = await call(`${t.url}/v1beta/interactions/${id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(400);
    expect(cancel.json.error.code).toBe('failed_precondition');
    await reader.cancel();
  });

  it('delete during a run removes it at once and does not cancel the run', async () => {
    const t = await startServer({ script: textScript(manyWords(100), 5) });
    const post = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'Hi', background: true },
    });
    const del = await call(`${t.url}/v1beta/interactions/${post.json.id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(t.server.running).toBe(1);
    expect((await call(`${t.url}/v1beta/interactions/${post.json.id}`)).status).toBe(404);
    await waitFor(async () => (t.server.running === 0 ? true : undefined));
    expect((await call(`${t.url}/v1beta/interactions/${post.json.id}`)).status).toBe(404);
    expect(t.logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  });

  it('a stored streaming run survives its client disconnecting; a store:false one is cancelled', async () => {
    const t = await startServer({ script: textScript(manyWords(40), 5) });
    const stored = new AbortController();
    const res = await fetch(`${t.url}/v1beta/interactions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', input: 'Hi', stream: true }),
      signal: stored.signal,
    });
    const first = new TextDecoder().decode((await res.body!.getReader().read()).value);
    const id = /"id":"(v1_[^"]+)"/.exec(first)?.[1];
    stored.abort();
    const done = await waitFor(async () => {
      const r = await call(`${t.url}/v1beta/interactions/${id}`);
      return r.json.status === 'completed' ? r.json : undefined;
    });
    expect(done.steps.at(-1).content[0].text).toBe(manyWords(40));

    const slow = await startServer({ script: textScript(manyWords(1000), 10) });
    const ephemeral = new AbortController();
    const res2 = await fetch(`${slow.url}/v1beta/interactions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', input: 'Hi', stream: true, store: false }),
      signal: ephemeral.signal,
    });
    await res2.body!.getReader().read();
    expect(slow.server.running).toBe(1);
    ephemeral.abort();
    await waitFor(async () => (slow.server.running === 0 ? true : undefined), 2_000);
  });
});
