/**
 * A turn whose model never answers must not stay `in_progress`: the server fails it with `deadline_exceeded`
 * after `turnTimeoutMs`, keeps what it produced, and ends the stream of anyone following it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ManualEngine } from './helpers/engines.ts';
import { call, closeAll, events, startServer, waitFor } from './helpers/server.ts';

const STEPS = { 'api-revision': '2026-05-20' };

afterAll(closeAll);

describe('turn deadline', () => {
  it('fails a hung background turn with deadline_exceeded and ends its stream', async () => {
    const engine = new ManualEngine(); // never finishes unless the test says so
    const t = await startServer({ engine, turnTimeoutMs: 300 });
    const created = await call(`${t.url}/v1beta/interactions`, {
      headers: STEPS,
      body: { model: 'm', input: 'hello', background: true },
    });
    expect(created.json.status).toBe('in_progress');
    const turn = await engine.next();
    turn.text(0, ['partial', 'answer']);

    const done = await waitFor(async () => {
      const got = await call(`${t.url}/v1beta/interactions/${created.json.id}`, { headers: STEPS });
      return got.json.status === 'in_progress' ? undefined : got;
    });
    expect(done.json.status).toBe('failed');
    expect(done.json.steps.at(-1)).toMatchObject({
      type: 'model_output',
      content: [{ text: 'partial answer' }],
    });
    expect(turn.input.signal.aborted).toBe(true);

    // The replayed stream ends with the error and the terminal event.
    const replay = await call(`${t.url}/v1beta/interactions/${created.json.id}?stream=true`, {
      headers: STEPS,
    });
    const types = events(replay.text).map((e) => e.event_type);
    expect(types).toContain('error');
    expect(events(replay.text).find((e) => e.event_type === 'error')?.error.code).toBe('deadline_exceeded');
    expect(types.at(-1)).toBe('interaction.completed');
  });
});
