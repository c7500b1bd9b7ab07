/**
 * The acceptance path of "real models behind the server": the OFFICIAL SDKs (`@google/genai` 1.52 on the
 * legacy revision, 3.x on steps) run the seeds' examples against our server with `provider: 'openai'`, in
 * front of a local fake OpenAI-compatible upstream (test/fakes/chat-completions-upstream.ts: the documented
 * wire format, answers from rules). Text, conversations, function calling, streaming, structured output, code
 * execution (the upstream asks for Python, our Pyodide sandbox runs it) and Deep Research (background, on the
 * upstream model) — every answer comes from the upstream through the provider.
 */
import type { GoogleGenAI, Interactions as StepsTypes } from '@google/genai';
import { GoogleGenAI as LegacyGoogleGenAI } from 'genai-legacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startWeatherServer, weatherFor } from '../../../../examples/mcp/weather-server.ts';
import {
  type ChatCompletionsUpstream,
  startChatCompletionsUpstream,
} from '../fakes/chat-completions-upstream.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { STEPS_SDKS, sdkVersion } from './steps-sdks.ts';
import { API_KEY, FIBONACCI_50, LEGACY_REVISION, SEARCH_CORPUS } from './support.ts';

let upstream: ChatCompletionsUpstream;
let api: TestServer;
let weather: { url: string; close(): Promise<void> };
beforeAll(async () => {
  upstream = await startChatCompletionsUpstream();
  weather = await startWeatherServer();
  api = await startServer({
    apiKeys: [API_KEY],
    provider: 'openai',
    providerOptions: { baseUrl: upstream.url },
    builtins: { searchCorpusPath: SEARCH_CORPUS, warmCode: true },
    mcp: { allowPrivateNetworks: true },
  });
});
afterAll(async () => {
  await api?.close();
  await weather?.close();
  await upstream?.close();
});

const MODEL = 'gemini-3-flash-preview';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Gets the weather for a given location.',
  parameters: {
    type: 'object',
    properties: { location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' } },
    required: ['location'],
  },
};
const meetingTool = {
  type: 'function' as const,
  name: 'schedule_meeting',
  description: 'Schedules a meeting with specified attendees at a given time and date.',
  parameters: {
    type: 'object',
    properties: {
      attendees: { type: 'array', items: { type: 'string' } },
      date: { type: 'string' },
      time: { type: 'string' },
      topic: { type: 'string' },
    },
    required: ['attendees', 'date', 'time', 'topic'],
  },
};
const MEETING = 'Schedule a meeting for 2025-11-01 at 10 am with Peter and Amir about the Next Gen API.';
const MODERATE =
  "Moderate the following content: 'Congratulations! You've won a free cruise. Click here to claim your prize: www.definitely-not-a-scam.com'";
const moderationSchema = z.object({
  decision: z.union([
    z.object({
      reason: z.string(),
      spam_type: z.enum(['phishing', 'scam', 'unsolicited promotion', 'other']),
    }),
    z.object({ summary: z.string(), is_safe: z.boolean() }),
  ]),
});
const euroSchema = z.object({ winning_team: z.string(), score: z.string() });
/** The model the upstream was asked for in its latest request. */
const lastUpstreamModel = () => upstream.requests.at(-1)?.model;

// =================================================================================================

describe('@google/genai 1.52 (legacy) → our server → openai provider → fake upstream', () => {
  let client: LegacyGoogleGenAI;
  const L = { headers: { 'Api-Revision': LEGACY_REVISION } };
  beforeAll(() => {
    client = new LegacyGoogleGenAI({
      apiKey: API_KEY,
      httpOptions: { baseUrl: api.url, apiVersion: 'v1beta' },
    });
  });
  type Outputs = { type: string; text?: string }[] | undefined;
  const lastText = (outputs: Outputs) => {
    const last = outputs?.at(-1);
    return last?.type === 'text' ? (last.text ?? '') : '';
  };

  it('basic interaction', async () => {
    const interaction = await client.interactions.create(
      { model: MODEL, input: 'Tell me a short joke about programming.' },
      L,
    );
    expect(interaction.status).toBe('completed');
    expect(lastText(interaction.outputs)).toMatch(/bugs/);
    expect(lastUpstreamModel()).toBe(MODEL);
  });

  it('stateful conversation (previous_interaction_id)', async () => {
    const interaction1 = await client.interactions.create({ model: MODEL, input: 'Hi, my name is Phil.' }, L);
    const interaction2 = await client.interactions.create(
      { model: MODEL, input: 'What is my name?', previous_interaction_id: interaction1.id },
      L,
    );
    expect(lastText(interaction2.outputs)).toBe('Your name is Phil.');
    // The upstream got the whole conversation: the earlier turn came from our store, not the client.
    expect(upstream.requests.at(-1)?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('function calling with server-side state (get_weather)', async () => {
    let interaction = await client.interactions.create(
      { model: MODEL, input: 'What is the weather in Paris?', tools: [weatherTool] },
      L,
    );
    expect(interaction.status).toBe('requires_action');
    const call = interaction.outputs?.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ name: 'get_weather', arguments: { location: 'Paris' } });
    if (call?.type !== 'function_call') throw new Error('no call');
    interaction = await client.interactions.create(
      {
        model: MODEL,
        previous_interaction_id: interaction.id,
        input: [
          {
            type: 'function_result',
            name: call.name,
            call_id: call.id,
            result: 'The weather in Paris is sunny.',
          },
        ],
      },
      L,
    );
    expect(interaction.status).toBe('completed');
    expect(lastText(interaction.outputs)).toContain('The weather in Paris is sunny.');
  });

  it('streaming: content.delta … interaction.complete', async () => {
    const stream = await client.interactions.create(
      { model: MODEL, input: 'Explain quantum entanglement in simple terms.', stream: true },
      L,
    );
    let text = '';
    const types = new Set<string>();
    for await (const chunk of stream) {
      types.add(chunk.event_type);
      if (chunk.event_type === 'content.delta' && chunk.delta.type === 'text' && 'text' in chunk.delta)
        text += chunk.delta.text;
    }
    expect([...types]).toEqual(
      expect.arrayContaining(['interaction.start', 'content.delta', 'interaction.complete']),
    );
    expect(text).toMatch(/entangle/i);
  });

  it('structured output and code execution', async () => {
    const structured = await client.interactions.create(
      { model: MODEL, input: MODERATE, response_format: z.toJSONSchema(moderationSchema) },
      L,
    );
    moderationSchema.parse(JSON.parse(lastText(structured.outputs)));
    const code = await client.interactions.create(
      { model: MODEL, input: 'Calculate the 50th Fibonacci number.', tools: [{ type: 'code_execution' }] },
      L,
    );
    expect(code.outputs?.map((o) => o.type)).toEqual([
      'code_execution_call',
      'code_execution_result',
      'text',
    ]);
    expect(code.outputs?.find((o) => o.type === 'code_execution_result')).toMatchObject({
      result: FIBONACCI_50,
    });
    expect(lastText(code.outputs)).toContain(FIBONACCI_50);
  });

  it('background: the Deep Research agent on the upstream model', async () => {
    const initial = await client.interactions.create(
      {
        input: 'Research the history of the Google TPUs with a focus on 2025 and 2026.',
        agent: 'deep-research-pro-preview-12-2025',
        background: true,
      },
      L,
    );
    expect(initial.status).toBe('in_progress');
    let interaction = initial;
    for (let i = 0; i < 400 && interaction.status === 'in_progress'; i++) {
      await sleep(50);
      interaction = await client.interactions.get(initial.id, undefined, L);
    }
    expect(interaction.status).toBe('completed');
    expect(interaction.outputs?.some((o) => o.type === 'google_search_result')).toBe(true);
    expect(lastText(interaction.outputs)).toMatch(/TPU/);
  });
});

// =================================================================================================

describe.each(STEPS_SDKS)(
  '@google/genai %s (steps) → our server → openai provider → fake upstream',
  (version, Sdk) => {
    let client: GoogleGenAI;
    beforeAll(() => {
      client = new Sdk({ apiKey: API_KEY, httpOptions: { baseUrl: api.url } });
    });
    it(`is SDK ${version}`, () =>
      expect(sdkVersion(version)).toMatch(new RegExp(`^${version.replace('.', '\\.')}\\.`)));
    type Steps = StepsTypes.Step[];
    const lastText = (steps: Steps): string => {
      const last = steps.at(-1);
      if (last?.type !== 'model_output') return '';
      return (last.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('');
    };

    it('basic interaction', async () => {
      const interaction = await client.interactions.create({
        model: MODEL,
        input: 'Tell me a short joke about programming.',
      });
      expect(interaction.status).toBe('completed');
      expect(interaction.steps.map((s) => s.type)).toEqual(['model_output']);
      expect(interaction.output_text).toMatch(/bugs/);
      expect(interaction.usage?.total_tokens).toBeGreaterThan(0);
    });

    it('stateful conversation, then stateless Step[] history', async () => {
      const interaction1 = await client.interactions.create({ model: MODEL, input: 'Hi, my name is Phil.' });
      const interaction2 = await client.interactions.create({
        model: MODEL,
        input: 'What is my name?',
        previous_interaction_id: interaction1.id,
      });
      expect(lastText(interaction2.steps)).toBe('Your name is Phil.');

      const history: Steps = [
        {
          type: 'user_input',
          content: [{ type: 'text', text: 'What are the three largest cities in Spain?' }],
        },
      ];
      const first = await client.interactions.create({ model: MODEL, input: history });
      history.push(...first.steps, {
        type: 'user_input',
        content: [{ type: 'text', text: 'What is the most famous landmark in the second one?' }],
      });
      const second = await client.interactions.create({ model: MODEL, input: history });
      expect(lastText(second.steps)).toMatch(/Barcelona.*Sagrada Família/);
    });

    it('function calling with client-side state (schedule_meeting, full Step[] history resent)', async () => {
      const history: Steps = [{ type: 'user_input', content: [{ type: 'text', text: MEETING }] }];
      const interaction = await client.interactions.create({
        model: MODEL,
        input: history,
        tools: [meetingTool],
      });
      expect(interaction.status).toBe('requires_action');
      history.push(...interaction.steps);
      const call = interaction.steps.find((s) => s.type === 'function_call');
      if (call?.type !== 'function_call') throw new Error('no call');
      expect(call.arguments).toEqual({
        attendees: ['Peter', 'Amir'],
        date: '2025-11-01',
        time: '10 am',
        topic: 'Next Gen API',
      });
      history.push({
        type: 'function_result',
        name: call.name,
        call_id: call.id,
        result: 'Meeting scheduled successfully.',
      });
      const done = await client.interactions.create({ model: MODEL, input: history, tools: [meetingTool] });
      expect(done.status).toBe('completed');
      expect(lastText(done.steps)).toContain('Meeting scheduled successfully.');
      // The upstream saw the call and its result as an assistant tool call and a tool message.
      const sent = upstream.requests.at(-1)!.messages;
      expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
      expect(sent[2]?.tool_call_id).toBe(call.id);
    });

    it('streaming: step.delta … interaction.completed, with a function call streamed as arguments_delta', async () => {
      const stream = await client.interactions.create({
        model: MODEL,
        input: 'Explain quantum entanglement in simple terms.',
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) {
        if (chunk.event_type === 'step.delta' && chunk.delta.type === 'text') text += chunk.delta.text;
      }
      expect(text).toMatch(/entangle/i);

      const calls = await client.interactions.create({
        model: MODEL,
        input: 'What is the weather in Paris?',
        tools: [weatherTool],
        stream: true,
      });
      const fragments: string[] = [];
      let status: string | undefined;
      for await (const chunk of calls) {
        if (chunk.event_type === 'step.delta' && chunk.delta.type === 'arguments_delta')
          fragments.push(chunk.delta.arguments ?? '');
        if (chunk.event_type === 'interaction.completed') status = chunk.interaction.status;
      }
      expect(status).toBe('requires_action');
      expect(fragments.length).toBeGreaterThan(1);
      expect(JSON.parse(fragments.join(''))).toEqual({ location: 'Paris' });
    });

    it('thinking: the upstream reasoning becomes a thought step', async () => {
      const thinking = await client.interactions.create({
        model: MODEL,
        input: 'Solve this step by step: What is 15% of 240?',
        generation_config: { thinking_level: 'high', thinking_summaries: 'auto' },
      });
      expect(thinking.steps.map((s) => s.type)).toEqual(['thought', 'model_output']);
      expect(lastText(thinking.steps)).toMatch(/\b36\b/);
      expect(upstream.requests.at(-1)?.reasoning_effort).toBe('high');
    });

    it('structured output: response_format with a schema, alone and after google_search', async () => {
      const interaction = await client.interactions.create({
        model: MODEL,
        input: MODERATE,
        response_format: {
          type: 'text',
          mime_type: 'application/json',
          schema: z.toJSONSchema(moderationSchema),
        },
      });
      moderationSchema.parse(JSON.parse(lastText(interaction.steps)));
      expect(upstream.requests.at(-1)?.response_format?.type).toBe('json_schema');

      const withSearch = await client.interactions.create({
        model: MODEL,
        input: 'Who won the last euro?',
        tools: [{ type: 'google_search' }],
        response_format: { type: 'text', mime_type: 'application/json', schema: z.toJSONSchema(euroSchema) },
      });
      expect(withSearch.steps.map((s) => s.type)).toEqual([
        'google_search_call',
        'google_search_result',
        'model_output',
      ]);
      euroSchema.parse(JSON.parse(lastText(withSearch.steps)));
    });

    it('code execution: the upstream asks for Python, our sandbox runs it', async () => {
      const code = await client.interactions.create({
        model: MODEL,
        input: 'Calculate the 50th Fibonacci number.',
        tools: [{ type: 'code_execution' }],
      });
      expect(code.steps.map((s) => s.type)).toEqual([
        'code_execution_call',
        'code_execution_result',
        'model_output',
      ]);
      expect(code.steps.find((s) => s.type === 'code_execution_result')).toMatchObject({
        result: FIBONACCI_50,
      });
      expect(lastText(code.steps)).toContain(FIBONACCI_50);
      // Offered to the upstream as a function; its result went back as a tool message.
      const sent = upstream.requests.at(-1)!;
      expect(sent.tools?.map((t) => t.function.name)).toEqual(['code_execution']);
      expect(sent.messages.at(-1)).toMatchObject({ role: 'tool', content: FIBONACCI_50 });
    });

    it('url_context: the upstream asks for a page, our server fetches it (here: refused offline), then it answers', async () => {
      const url = await client.interactions.create({
        model: MODEL,
        input: 'Summarize the content of https://www.wikipedia.org/',
        tools: [{ type: 'url_context' }],
      });
      expect(url.steps.map((s) => s.type)).toEqual([
        'url_context_call',
        'url_context_result',
        'model_output',
      ]);
      expect(url.steps[0]).toMatchObject({ arguments: { urls: ['https://www.wikipedia.org/'] } });
      expect(lastText(url.steps)).toMatch(/^Here is what I found: ## .*wikipedia/);
    });

    it('MCP + a function + built-ins in one request', async () => {
      const mcp = await client.interactions.create({
        model: MODEL,
        input: 'What is the weather like in New York today?',
        tools: [
          { type: 'mcp_server', name: 'weather_service', url: weather.url },
          { type: 'function', name: 'book_table', parameters: { type: 'object', properties: {} } },
          { type: 'url_context' },
        ],
      });
      expect(mcp.steps.map((s) => s.type)).toEqual([
        'mcp_server_tool_call',
        'mcp_server_tool_result',
        'model_output',
      ]);
      expect(mcp.steps[0]).toMatchObject({
        server_name: 'weather_service',
        arguments: { location: 'New York' },
      });
      expect(lastText(mcp.steps)).toContain(weatherFor('New York'));
    });

    it('background: the Deep Research agent on the upstream model, polled until completed', async () => {
      const initial = await client.interactions.create({
        input: 'Research the history of the Google TPUs with a focus on 2025 and 2026.',
        agent: 'deep-research-pro-preview-12-2025',
        background: true,
        agent_config: { type: 'deep-research', thinking_summaries: 'auto' },
      });
      expect(initial.status).toBe('in_progress');
      let interaction = initial;
      for (let i = 0; i < 400 && interaction.status === 'in_progress'; i++) {
        await sleep(50);
        interaction = await client.interactions.get(initial.id as string);
      }
      expect(interaction.status).toBe('completed');
      const types = interaction.steps.map((s) => s.type);
      expect(types).toContain('thought');
      expect(types).toContain('google_search_result');
      expect(types).toContain('url_context_result');
      const report = lastText(interaction.steps);
      expect(report).toMatch(/^## Research the history of the Google TPUs/);
      const last = interaction.steps.at(-1);
      const annotations =
        last?.type === 'model_output' && last.content?.[0]?.type === 'text'
          ? last.content[0].annotations
          : [];
      expect(annotations?.some((a) => a.type === 'url_citation')).toBe(true);
    });
  },
);
