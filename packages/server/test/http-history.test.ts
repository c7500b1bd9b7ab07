/** previous_interaction_id: history is carried, tools/system_instruction/generation_config are not. */
import { afterAll, describe, expect, it } from 'vitest';
import { ManualEngine, RecordingEngine } from './helpers/engines.ts';
import { call, closeAll, startServer, waitFor } from './helpers/server.ts';

afterAll(closeAll);

describe('previous_interaction_id', () => {
  it('the scripted model sees the earlier turns (when.history)', async () => {
    const t = await startServer({
      script: {
        rules: [
          { when: { history: 'my name is bob' }, respond: [{ type: 'text', text: 'Your name is Bob.' }] },
          { respond: [{ type: 'text', text: 'I do not know your name.' }] },
        ],
      },
    });
    const first = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'Hi, my name is Bob.' },
    });
    const second = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'What is my name?', previous_interaction_id: first.json.id },
    });
    expect(second.status).toBe(200);
    expect(second.json.steps.at(-1).content[0].text).toBe('Your name is Bob.');
    expect(second.json.previous_interaction_id).toBe(first.json.id);
    const fresh = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'What is my name?' },
    });
    expect(fresh.json.steps.at(-1).content[0].text).toBe('I do not know your name.');
  });

  it('inherits history only: tools, system_instruction and generation_config are per interaction', async () => {
    const engine = new RecordingEngine();
    const t = await startServer({ engine });
    const first = await call(`${t.url}/v1beta/interactions`, {
      body: {
        model: 'm',
        input: 'first question',
        system_instruction: 'Talk like a pirate.',
        tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} } }],
        generation_config: { temperature: 0.1 },
      },
    });
    expect(first.status).toBe(200);
    const second = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'second question', previous_interaction_id: first.json.id },
    });
    expect(second.status).toBe(200);
    const [turn1, turn2] = engine.turns;
    expect(turn1?.input.request.tools?.[0]).toMatchObject({ name: 'get_weather' });
    expect(turn1?.history).toEqual([]);
    expect(turn2?.input.request.tools).toBeUndefined();
    expect(turn2?.input.request.system_instruction).toBeUndefined();
    expect(turn2?.input.request.generation_config).toBeUndefined();
    expect(turn2?.input.request.input).toEqual([
      { type: 'user_input', content: [{ type: 'text', text: 'second question' }] },
    ]);
    expect(turn2?.history).toEqual([
      { type: 'user_input', content: [{ type: 'text', text: 'first question' }] },
      { type: 'model_output', content: [{ type: 'text', text: 'ok' }] },
    ]);
  });

  it('an unknown previous id, or another key’s, is 404 naming previous_interaction_id', async () => {
    const t = await startServer({ apiKeys: ['key-a', 'key-b'] });
    const unknown = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'x', previous_interaction_id: 'v1_doesnotexist' },
      headers: { 'x-goog-api-key': 'key-a' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
    expect(unknown.json.error.message).toContain('v1_doesnotexist');
    const mine = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'x' },
      headers: { 'x-goog-api-key': 'key-a' },
    });
    const foreign = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'x', previous_interaction_id: mine.json.id },
      headers: { 'x-goog-api-key': 'key-b' },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe('not_found');
  });

  it('a previous turn still running is failed_precondition naming previous_interaction_id, then continues', async () => {
    const engine = new ManualEngine();
    const t = await startServer({ engine, historyCache: false });
    const running = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'first', background: true },
    });
    const turn = await engine.next();
    const early = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'second', previous_interaction_id: running.json.id },
    });
    expect(early.status).toBe(400);
    expect(early.json.error.code).toBe('failed_precondition');
    expect(early.json.error.message).toContain('in_progress');
    turn.finish({ status: 'completed', output: [], usage: {} });
    await waitFor(async () => {
      const got = await call(`${t.url}/v1beta/interactions/${running.json.id}`);
      return got.json.status === 'completed' ? true : undefined;
    });
    const later = call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'second', previous_interaction_id: running.json.id },
    });
    const second = await engine.next();
    expect(await second.input.history()).toEqual([
      { type: 'user_input', content: [{ type: 'text', text: 'first' }] },
    ]);
    second.finish({ status: 'completed', output: [], usage: {} });
    expect((await later).status).toBe(200);
  });
});
