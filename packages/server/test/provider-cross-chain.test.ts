/**
 * One conversation across providers by `previous_interaction_id`, routed from one config file: turn 1 on
 * Gemini (a signed function call), turn 2 on Claude (the result; signed thinking), turn 3 on Gemini, turn 4 on
 * Claude. Each provider gets its own signatures back byte for byte — the fakes refuse anything else — and never
 * the other's. Our server over loopback HTTP, with the rule-based fake Gemini and Anthropic upstreams.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AnthropicUpstream, startAnthropicUpstream } from './fakes/anthropic-upstream.ts';
import { type GeminiUpstream, startGeminiUpstream } from './fakes/gemini-upstream.ts';
import { call, startServer, type TestServer } from './helpers/server.ts';

let gemini: GeminiUpstream;
let anthropic: AnthropicUpstream;
let api: TestServer;
beforeAll(async () => {
  gemini = await startGeminiUpstream();
  anthropic = await startAnthropicUpstream();
  api = await startServer({
    routing: {
      providers: {
        google: { type: 'gemini', baseUrl: gemini.url },
        claude: { type: 'anthropic', baseUrl: anthropic.url },
      },
      routes: [
        { models: ['gemini-*'], provider: 'google' },
        { models: ['claude-*'], provider: 'claude' },
      ],
    },
    builtins: false,
    mcp: false,
  });
});
afterAll(async () => {
  await api?.close();
  await gemini?.close();
  await anthropic?.close();
});

const weather = {
  type: 'function',
  name: 'get_weather',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};
const create = (body: Record<string, unknown>) => call(`${api.url}/v1beta/interactions`, { body });

it('Gemini → Claude → Claude → Gemini → Claude: each keeps its own signatures, the other never sees them', async () => {
  const gemini3 = { model: 'gemini-3-flash-preview' };
  const claude = { model: 'claude-sonnet-4-5', generation_config: { thinking_level: 'high' } };
  const t1 = await create({ ...gemini3, input: 'What is the weather in Paris?', tools: [weather] });
  expect(t1.json.status).toBe('requires_action');
  const fc = t1.json.steps.find((s: { type: string }) => s.type === 'function_call');
  const geminiSignature = (fc.signature as string).replace(/^gemini:/, '');
  expect(gemini.signatures.has(geminiSignature)).toBe(true);

  const t2 = await create({
    ...claude,
    previous_interaction_id: t1.json.id,
    input: [{ type: 'function_result', call_id: fc.id, name: 'get_weather', result: 'Sunny, 21 °C' }],
    tools: [weather],
  });
  expect(t2.json.status).toBe('completed');
  expect(JSON.stringify(anthropic.requests.at(-1))).not.toContain(geminiSignature);
  // Gemini's call opened this tool loop without Claude's thinking: Claude refuses thinking there, so none is asked.
  expect(anthropic.requests.at(-1)!.thinking).toBeUndefined();
  expect(anthropic.requests.at(-1)!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);

  const t3 = await create({
    ...claude,
    previous_interaction_id: t2.json.id,
    input: 'Solve this step by step: What is 15% of 240?',
  });
  expect(t3.json.steps.map((s: { type: string }) => s.type)).toEqual(['thought', 'model_output']);
  const claudeSignature = (t3.json.steps[0].signature as string).replace(/^anthropic:/, '');

  const t4 = await create({ ...gemini3, previous_interaction_id: t3.json.id, input: 'Hi, my name is Phil.' });
  expect(t4.json.status).toBe('completed');
  const toGemini = gemini.requests.at(-1)!.body;
  expect(JSON.stringify(toGemini)).not.toContain(claudeSignature);
  const calls = toGemini.contents.flatMap((c) => c.parts).filter((p) => p.functionCall);
  expect(calls).toHaveLength(1);
  expect(calls[0]!.thoughtSignature).toBe(geminiSignature); // its own, byte for byte

  const t5 = await create({
    ...claude,
    previous_interaction_id: t4.json.id,
    input: 'Solve this step by step: What is 10% of 240?',
  });
  // The fake Claude refuses a thinking block whose signature does not match its exact text: it answered.
  expect(t5.json.status).toBe('completed');
  const last = anthropic.requests.at(-1)!;
  const thinking = last.messages
    .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
    .filter((b) => b.type === 'thinking');
  expect(thinking.map((b) => b.signature)).toEqual([claudeSignature]);
  for (const signature of gemini.signatures) expect(JSON.stringify(last)).not.toContain(signature);
});
