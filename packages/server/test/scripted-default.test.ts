import type { Item, Tool } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import type { ProviderEvent, ProviderRequest } from '../src/providers/provider.ts';
import { DEFAULT_SCRIPT } from '../src/providers/scripted/default-script.ts';
import { jsonFromSchema } from '../src/providers/scripted/json-from-schema.ts';
import { createScriptedProvider } from '../src/providers/scripted/provider.ts';
import { parseScript } from '../src/providers/scripted/script.ts';

const provider = createScriptedProvider();
const user = (text: string, ...parts: Record<string, unknown>[]): Item => ({
  type: 'user_input',
  content: [{ type: 'text', text }, ...parts] as never,
});
const model = (text: string): Item => ({ type: 'model_output', content: [{ type: 'text', text }] });
const fn = (name: string): Tool => ({ type: 'function', name });

async function run(items: Item[], extra: Partial<ProviderRequest> = {}) {
  const events: ProviderEvent[] = [];
  for await (const e of provider.generate(
    { interactionId: 'i', model: 'm', items, ...extra },
    new AbortController().signal,
  ))
    events.push(e);
  return {
    text: events.map((e) => (e.type === 'text' ? e.text : '')).join(''),
    items: events.flatMap((e) => (e.type === 'item' ? [e.item] : [])),
    media: events.flatMap((e) => (e.type === 'media' ? [e.content] : [])),
    thoughts: events.filter((e) => e.type === 'thought'),
  };
}

describe('default script: the seed examples', () => {
  it('is a valid script', () => {
    expect(parseScript(DEFAULT_SCRIPT).rules.length).toBeGreaterThan(10);
  });

  it('tells a joke', async () => {
    expect((await run([user('Tell me a short joke about programming.')])).text).toMatch(/programmers/);
  });

  it('recalls a name from history, and says when it was never given', async () => {
    const history = [user('Hi, my name is Phil.'), model('Nice to meet you, Phil!')];
    expect((await run([user('Hi, my name is Phil.')])).text).toBe(
      'Nice to meet you, Phil! How can I help you today?',
    );
    expect((await run([...history, user('What is my name?')])).text).toBe('Your name is Phil.');
    expect((await run([user('What is my name?')])).text).toMatch(/haven't told me/);
  });

  it('answers the multi-turn cities conversation from history', async () => {
    const first = await run([user('What are the three largest cities in Spain?')]);
    expect(first.text).toMatch(/Madrid, Barcelona, and Valencia/);
    const second = await run([
      user('What are the three largest cities in Spain?'),
      model(first.text),
      user('What is the most famous landmark in the second one?'),
    ]);
    expect(second.text).toMatch(/Sagrada Família/);
  });

  it('calls get_weather with the location, then answers from the function result', async () => {
    const tools = [fn('get_weather')];
    const { items } = await run([user('What is the weather in Paris?')], { tools });
    expect(items).toEqual([
      {
        type: 'function_call',
        id: expect.any(String),
        name: 'get_weather',
        arguments: { location: 'Paris' },
      },
    ]);
    const call = items[0]!;
    const result: Item = {
      type: 'function_result',
      call_id: String(call.id),
      name: 'get_weather',
      result: 'The weather in Paris is sunny.',
    };
    expect((await run([user('What is the weather in Paris?'), call, result], { tools })).text).toBe(
      'Here is what I found: The weather in Paris is sunny.',
    );
  });

  it('calls schedule_meeting with structured arguments', async () => {
    const { items } = await run(
      [user('Schedule a meeting for 2025-11-01 at 10 am with Peter and Amir about the Next Gen API.')],
      { tools: [fn('schedule_meeting')] },
    );
    expect(items[0]).toMatchObject({
      name: 'schedule_meeting',
      arguments: { attendees: ['Peter', 'Amir'], date: '2025-11-01', time: '10 am', topic: 'Next Gen API' },
    });
  });

  it('calls the hosted MCP weather server', async () => {
    const tools: Tool[] = [{ type: 'mcp_server', name: 'weather_service', url: 'https://example.com/mcp' }];
    const { items } = await run([user('What is the weather like in New York today?')], { tools });
    expect(items[0]).toMatchObject({
      type: 'mcp_server_tool_call',
      server_name: 'weather_service',
      name: 'get_weather',
      arguments: { location: 'New York' },
    });
  });

  it('runs Fibonacci through code execution and reports the output', async () => {
    const tools: Tool[] = [{ type: 'code_execution' }];
    const input = user('Calculate the 50th Fibonacci number.');
    const { items } = await run([input], { tools });
    expect(items[0]).toMatchObject({ type: 'code_execution_call', arguments: { language: 'python' } });
    expect(String((items[0]!.arguments as { code: string }).code)).toContain('print(fib(50))');
    const result: Item = {
      type: 'code_execution_result',
      call_id: String(items[0]?.id),
      result: '12586269025\n',
    };
    expect((await run([input, items[0]!, result], { tools })).text).toMatch(/printed: 12586269025/);
  });

  it('reads a URL with url_context and searches with google_search', async () => {
    const url = await run([user('Summarize the content of https://www.wikipedia.org/')], {
      tools: [{ type: 'url_context' }],
    });
    expect(url.items[0]).toMatchObject({
      type: 'url_context_call',
      arguments: { urls: ['https://www.wikipedia.org/'] },
    });
    const search = await run([user('Who won the last Super Bowl?')], { tools: [{ type: 'google_search' }] });
    expect(search.items[0]).toMatchObject({
      type: 'google_search_call',
      arguments: { queries: ['Who won the last Super Bowl?'] },
    });
  });

  it('answers media input by content type, honestly', async () => {
    const image = await run([
      user('Describe the image.', { type: 'image', uri: 'https://x/c.png', mime_type: 'image/png' }),
    ]);
    expect(image.text).toMatch(/image.*scripted/);
    const audio = await run([user('What does this audio say?', { type: 'audio', uri: 'https://x/a.wav' })]);
    expect(audio.text).toMatch(/audio/);
  });

  it('generates an image and speech', async () => {
    const image = await run([user('Generate an image of a futuristic city.')]);
    expect(image.text).toMatch(/futuristic city/);
    expect(image.media[0]).toMatchObject({ type: 'image', mime_type: 'image/png' });
    const speech = await run([user('Say the following: WOOHOO This is so much fun!.')]);
    expect(speech.media[0]).toMatchObject({ type: 'audio', mime_type: expect.stringMatching(/^audio\//) });
  });

  it('thinks before the step-by-step answer', async () => {
    const { thoughts, text } = await run([user('Solve this step by step: What is 15% of 240?')]);
    expect(thoughts).toHaveLength(1);
    expect(text).toMatch(/36/);
  });

  it('answers in JSON valid for the response schema, after searching when asked to', async () => {
    const moderation = {
      $defs: {
        SpamDetails: {
          properties: {
            reason: { type: 'string' },
            spam_type: { enum: ['phishing', 'scam', 'unsolicited promotion', 'other'], type: 'string' },
          },
          required: ['reason', 'spam_type'],
          type: 'object',
        },
        NotSpamDetails: {
          properties: { summary: { type: 'string' }, is_safe: { type: 'boolean' } },
          required: ['summary', 'is_safe'],
          type: 'object',
        },
      },
      properties: {
        decision: { anyOf: [{ $ref: '#/$defs/SpamDetails' }, { $ref: '#/$defs/NotSpamDetails' }] },
      },
      required: ['decision'],
      type: 'object',
    };
    const { text } = await run([user("Moderate the following content: 'You won a free cruise'")], {
      output_format: { mime_type: 'application/json', schema: moderation },
    });
    expect(JSON.parse(text)).toEqual({ decision: { reason: 'example', spam_type: 'phishing' } });

    const euro = {
      type: 'object',
      properties: { winning_team: { type: 'string' }, score: { type: 'string' } },
    };
    const tools: Tool[] = [{ type: 'google_search' }];
    const input = user('Who won the last euro?');
    const first = await run([input], { tools, output_format: { schema: euro } });
    expect(first.items[0]?.type).toBe('google_search_call');
    const result: Item = { type: 'google_search_result', call_id: String(first.items[0]?.id), result: [] };
    const answer = await run([input, first.items[0]!, result], { tools, output_format: { schema: euro } });
    expect(JSON.parse(answer.text)).toEqual({ winning_team: 'example', score: 'example' });
  });

  it('falls back to saying it has no scripted answer', async () => {
    expect((await run([user('Research the history of Google TPUs')])).text).toBe(
      'I have no scripted answer for: Research the history of Google TPUs',
    );
  });
});

describe('jsonFromSchema', () => {
  it('fills every property deterministically', () => {
    const schema = {
      type: 'object',
      properties: {
        s: { type: 'string' },
        short: { type: 'string', minLength: 10 },
        date: { type: 'string', format: 'date' },
        n: { type: 'number', minimum: 2.5 },
        i: { type: 'integer', exclusiveMinimum: 3 },
        b: { type: 'boolean' },
        nothing: { type: 'null' },
        maybe: { type: ['null', 'integer'] },
        list: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 2 },
        fixed: { const: 'c' },
        defaulted: { type: 'string', default: 'd' },
        nested: { type: 'object', properties: { x: { type: 'integer' } } },
      },
    };
    expect(jsonFromSchema(schema)).toEqual({
      s: 'example',
      short: 'examplexxx',
      date: '2025-01-01',
      n: 2.5,
      i: 4,
      b: false,
      nothing: null,
      maybe: 0,
      list: ['a', 'a'],
      fixed: 'c',
      defaulted: 'd',
      nested: { x: 0 },
    });
  });

  it('follows local $ref, allOf and oneOf, and stops on recursive schemas', () => {
    const schema = {
      definitions: { Node: { type: 'object', properties: { child: { $ref: '#/definitions/Node' } } } },
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } } },
        { properties: { b: { oneOf: [{ type: 'integer' }, { type: 'string' }] } } },
      ],
      properties: { tree: { $ref: '#/definitions/Node' } },
    };
    const value = jsonFromSchema(schema) as { a: string; b: number; tree: unknown };
    expect(value.a).toBe('example');
    expect(value.b).toBe(0);
    expect(JSON.stringify(value.tree)).toMatch(/^\{"child":\{"child":/);
  });
});

describe('default script: tool results and the remaining seed prompts', () => {
  it('answers a search with the top hit, a URL read with its title, not raw JSON', async () => {
    const search = await run([
      user('Who won the last euro?'),
      { type: 'google_search_call', id: 's1', arguments: { queries: ['last euro'] } },
      {
        type: 'google_search_result',
        call_id: 's1',
        // As the google_search tool writes it: the search_suggestions entry, then the hits.
        result: [
          { search_suggestions: '<div class="search-suggestions"></div>' },
          { url: 'https://e.example/final', title: 'Euro 2024 final', snippet: 'Spain beat England 2-1.' },
        ],
      },
    ]);
    expect(search.text).toBe(
      'According to Euro 2024 final (https://e.example/final): Spain beat England 2-1.',
    );
    const read = await run([
      user('Summarize https://w.example/'),
      { type: 'url_context_call', id: 'u1', arguments: { urls: ['https://w.example/'] } },
      {
        type: 'url_context_result',
        call_id: 'u1',
        result: [{ url: 'https://w.example/', status: 'success', title: 'W' }],
      },
    ]);
    expect(read.text).toMatch(/^I read https:\/\/w\.example\/ \(status: success\), titled "W"\./);
  });

  it('speaks a multi-speaker TTS prompt and starts a computer-use task with a client action', async () => {
    const tts = await run([user('TTS the following conversation between Alice and Bob: Alice: Hi Bob!')]);
    expect(tts.media).toMatchObject([{ type: 'audio' }]);
    const computer = await run([user('Search for smart fridges on Google Shopping.')], {
      tools: [{ type: 'computer_use', environment: 'browser' }],
    });
    expect(computer.items).toMatchObject([{ type: 'function_call', name: 'open_web_browser' }]);
  });
});
