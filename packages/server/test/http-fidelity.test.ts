/**
 * What SDK 3.6 (and a raw client) read back from our server: `generation_config.image_config` where the client
 * sent it, `search_suggestions` at `result[0]` of a search result, and earlier turns resent next to
 * `previous_interaction_id` (as the AI SDK's provider does) dropped instead of doubling the history — or a 400
 * naming the item when they cannot be matched.
 */
import { GoogleGenAI } from 'genai-3-6';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingEngine } from './helpers/engines.ts';
import { call, closeAll, startServer } from './helpers/server.ts';

afterEach(closeAll);
const MODEL = 'gemini-3-flash-preview';
const SEARCH_CORPUS = new URL('../assets/search-corpus.jsonl', import.meta.url).pathname;

describe('read back as sent', () => {
  it('keeps generation_config.image_config in generation_config (create and get)', async () => {
    const s = await startServer();
    const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: s.url } });
    const generation_config = {
      temperature: 0.2,
      image_config: { aspect_ratio: '16:9' as const, image_size: '2K' as const },
    };
    const created = await ai.interactions.create({ model: MODEL, input: 'draw a cat', generation_config });
    expect(created.generation_config).toEqual(generation_config);
    expect(created.response_format).toBeUndefined();
    const got = await ai.interactions.get(created.id as string);
    expect(got.generation_config).toEqual(generation_config);
  });

  it("puts a search result's search_suggestions at result[0], as the SDK's type has it", async () => {
    const s = await startServer({ builtins: { searchCorpusPath: SEARCH_CORPUS } });
    const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: s.url } });
    const done = await ai.interactions.create({
      model: MODEL,
      input: 'Euro 2024 final',
      tools: [{ type: 'google_search' }],
    });
    const result = (done.steps ?? []).find((step) => step.type === 'google_search_result');
    expect(result?.type).toBe('google_search_result');
    if (result?.type !== 'google_search_result') return;
    expect(result.result[0]?.search_suggestions).toContain('<span class="chip">Euro 2024 final</span>');
  });
});

describe('earlier turns resent with previous_interaction_id', () => {
  const user = (text: string) => ({ type: 'user_input', content: [{ type: 'text', text }] });
  const model = (text: string) => ({ type: 'model_output', content: [{ type: 'text', text }] });

  it('drops the repeated turns, so the model sees the history once', async () => {
    const engine = new RecordingEngine();
    const s = await startServer({ engine });
    const first = await call(`${s.url}/v1beta/interactions`, { body: { model: MODEL, input: 'hello' } });
    const second = await call(`${s.url}/v1beta/interactions`, {
      body: {
        model: MODEL,
        previous_interaction_id: first.json.id,
        input: [
          user('hello'),
          { type: 'thought', signature: 'sig-from-the-client' },
          model('ok'),
          user('and now?'),
        ],
      },
    });
    expect(second.status).toBe(200);
    const turn = engine.turns[1]!;
    expect(turn.input.request.input).toEqual([user('and now?')]);
    expect(turn.history).toEqual([user('hello'), model('ok')]);
    // What is stored is the new turn only.
    const got = await call(`${s.url}/v1beta/interactions/${second.json.id}`);
    expect(got.json.steps.map((step: { type: string }) => step.type)).toEqual(['user_input', 'model_output']);
  });

  it('is a 400 naming the item when the input repeats the model in any other way', async () => {
    const s = await startServer({ engine: new RecordingEngine() });
    const first = await call(`${s.url}/v1beta/interactions`, { body: { model: MODEL, input: 'hello' } });
    const reply = await call(`${s.url}/v1beta/interactions`, {
      body: {
        model: MODEL,
        previous_interaction_id: first.json.id,
        input: [user('hello'), user('more'), model('ok')],
      },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toMatch(/^'input\[2\]' repeats a model_output/);
  });

  it('leaves a new turn alone, even one that says the same as before', async () => {
    const engine = new RecordingEngine();
    const s = await startServer({ engine });
    const first = await call(`${s.url}/v1beta/interactions`, { body: { model: MODEL, input: 'hello' } });
    await call(`${s.url}/v1beta/interactions`, {
      body: { model: MODEL, previous_interaction_id: first.json.id, input: 'hello' },
    });
    expect(engine.turns[1]!.input.request.input).toEqual([user('hello')]);
  });
});
