/**
 * `tool_search` through SDK 3.6 against our server: the model is offered the request's functions only once a
 * search has loaded them; the server runs the search over the request's function tools (`execution: server`,
 * the default), or hands the call to the client (`execution: client`) and loads what its
 * `tool_search_result` lists. The scripted model shows what it was offered: a rule that needs `get_weather`
 * up front never fires.
 */
import { GoogleGenAI } from 'genai-3-6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchFunctions } from '../src/tools/tool-search.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const SCRIPT = {
  rules: [
    { when: { input: 'weather', tools: ['get_weather'] }, respond: 'I saw get_weather without searching.' },
    {
      when: { input: 'weather', tools: ['tool_search'] },
      respond: [{ type: 'tool_search_call', arguments: { query: 'weather forecast for a city' } }],
    },
    {
      when: { last: 'tool_search_result', tools: ['get_weather'] },
      respond: [{ type: 'function_call', name: 'get_weather', arguments: { city: 'Paris' } }],
    },
    { when: { last: 'tool_search_result' }, respond: 'The search found nothing I can use.' },
    { when: { last: 'function_result' }, respond: 'Sunny in Paris.' },
  ],
};

const FUNCTIONS = [
  {
    type: 'function' as const,
    name: 'get_weather',
    description: 'Weather forecast for a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
  {
    type: 'function' as const,
    name: 'send_email',
    description: 'Send an email.',
    parameters: { type: 'object' },
  },
  {
    type: 'function' as const,
    name: 'get_time',
    description: 'The time in a city.',
    parameters: { type: 'object' },
  },
];

let server: TestServer;
let ai: GoogleGenAI;
beforeAll(async () => {
  server = await startServer({ script: SCRIPT });
  ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: server.url } });
});
afterAll(() => server.close());

describe('tool_search', () => {
  it('server execution: searches the request’s functions, then the model calls the one it loaded', async () => {
    const first = await ai.interactions.create({
      model: 'gemini-3-flash-preview',
      input: 'What is the weather in Paris?',
      tools: [{ type: 'tool_search' }, ...FUNCTIONS],
    });
    expect(first.status).toBe('requires_action');
    const steps = first.steps ?? [];
    expect(steps.map((s) => s.type)).toEqual(['tool_search_call', 'tool_search_result', 'function_call']);
    const [call, result, fn] = steps as unknown as [
      { id: string; arguments: { query?: string } },
      { call_id: string; result: { name: string; type: string }[] },
      { name: string; id: string },
    ];
    expect(call.arguments.query).toBe('weather forecast for a city');
    expect(result.call_id).toBe(call.id);
    // Best match first; send_email shares no word with the query.
    expect(result.result.map((f) => f.name)).toEqual(['get_weather', 'get_time']);
    expect(result.result[0]).toMatchObject({ type: 'function', description: 'Weather forecast for a city.' });
    expect(fn.name).toBe('get_weather');

    // The next turn continues with the function's result (the loaded function stays offered).
    const second = await ai.interactions.create({
      model: 'gemini-3-flash-preview',
      previous_interaction_id: first.id,
      input: [{ type: 'function_result', call_id: fn.id, name: 'get_weather', result: 'sunny' }],
      tools: [{ type: 'tool_search' }, ...FUNCTIONS],
    });
    expect(second.output_text).toBe('Sunny in Paris.');
  });

  it('client execution: the call goes to the client, whose result loads the functions', async () => {
    const first = await ai.interactions.create({
      model: 'gemini-3-flash-preview',
      input: 'What is the weather in Paris?',
      tools: [
        {
          type: 'tool_search',
          execution: 'client',
          name: 'find_tools',
          description: 'Find tools by what they do.',
          parameters: { type: 'object', properties: { query: { type: 'string' } } },
        },
        ...FUNCTIONS,
      ],
    });
    expect(first.status).toBe('requires_action');
    expect((first.steps ?? []).map((s) => s.type)).toEqual(['tool_search_call']);
    const call = (first.steps ?? [])[0] as { id: string };

    const second = await ai.interactions.create({
      model: 'gemini-3-flash-preview',
      previous_interaction_id: first.id,
      input: [
        {
          type: 'tool_search_result',
          call_id: call.id,
          result: [
            {
              type: 'function',
              name: 'get_weather',
              description: 'Weather.',
              parameters: { type: 'object' },
            },
          ],
        },
      ],
      tools: [{ type: 'tool_search', execution: 'client', name: 'find_tools' }, ...FUNCTIONS],
    });
    expect(second.status).toBe('requires_action');
    expect((second.steps ?? []).map((s) => s.type)).toEqual(['function_call']);
  });

  it('rejects a malformed tool_search_result with the field named', async () => {
    const reply = await fetch(`${server.url}/v1beta/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gemini-3-flash-preview',
        input: [{ type: 'tool_search_result', result: [] }],
      }),
    });
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { error: { message: string } }).error.message).toContain('call_id');
  });
});

describe('searchFunctions', () => {
  it('puts named functions first, then query matches by score, and ignores what it does not know', () => {
    const found = searchFunctions(FUNCTIONS, {
      function_names: ['send_email', 'nope'],
      query: 'time in a city',
    });
    expect(found.map((f) => f.name)).toEqual(['send_email', 'get_time', 'get_weather']);
    expect(searchFunctions(FUNCTIONS, { query: 'x'.repeat(100_000) })).toEqual([]);
    expect(searchFunctions(FUNCTIONS, {})).toEqual([]);
  });
});
