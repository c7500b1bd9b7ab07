/**
 * The acceptance path of "real models behind the server": the OFFICIAL SDKs (`@google/genai` 1.52 on the
 * legacy revision, 3.x on steps) run the seeds' examples against our server with `provider: 'openai'`, in
 * front of a local fake OpenAI-compatible upstream (test/fakes/chat-completions-upstream.ts: the documented
 * wire format, answers from rules). Text, conversations, function calling, streaming, structured output, code
 * execution (the upstream asks for Python, our Pyodide sandbox runs it) and Deep Research (background, on the
 * upstream model) — every answer comes from the upstream through the provider.
 */
import type { GoogleGenAI } from '@google/genai';
import { GoogleGenAI as LegacyGoogleGenAI } from 'genai-legacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startWeatherServer, weatherFor } from '../../../../examples/mcp/weather-server.ts';
import {
  type ChatCompletionsUpstream,
  startChatCompletionsUpstream,
} from '../fakes/chat-completions-upstream.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { lastOutputText, lastStepText, pollUntilDone, readLegacyStream } from './seed-sdk-read.ts';
import { MEETING_ARGUMENTS, MODEL, MODERATE, moderationSchema, weatherTool } from './seed-sdk-shared.ts';
import * as seed from './seed-sdk-steps-flows.ts';
import { itIsSdk, STEPS_SDKS } from './steps-sdks.ts';
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

  it('basic interaction', async () => {
    const interaction = await client.interactions.create(
      { model: MODEL, input: 'Tell me a short joke about programming.' },
      L,
    );
    expect(interaction.status).toBe('completed');
    expect(lastOutputText(interaction.outputs)).toMatch(/bugs/);
    expect(lastUpstreamModel()).toBe(MODEL);
  });

  it('stateful conversation (previous_interaction_id)', async () => {
    const interaction1 = await client.interactions.create({ model: MODEL, input: 'Hi, my name is Phil.' }, L);
    const interaction2 = await client.interactions.create(
      { model: MODEL, input: 'What is my name?', previous_interaction_id: interaction1.id },
      L,
    );
    expect(lastOutputText(interaction2.outputs)).toBe('Your name is Phil.');
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
    expect(lastOutputText(interaction.outputs)).toContain('The weather in Paris is sunny.');
  });

  it('streaming: content.delta … interaction.complete', async () => {
    const stream = await client.interactions.create(
      { model: MODEL, input: 'Explain quantum entanglement in simple terms.', stream: true },
      L,
    );
    const { types, text } = await readLegacyStream(stream);
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
    moderationSchema.parse(JSON.parse(lastOutputText(structured.outputs)));
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
    expect(lastOutputText(code.outputs)).toContain(FIBONACCI_50);
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
    const interaction = await pollUntilDone(() => client.interactions.get(initial.id, undefined, L));
    expect(interaction.status).toBe('completed');
    expect(interaction.outputs?.some((o) => o.type === 'google_search_result')).toBe(true);
    expect(lastOutputText(interaction.outputs)).toMatch(/TPU/);
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
    itIsSdk(version);

    it('basic interaction', async () => {
      const interaction = await seed.tellJoke(client);
      expect(interaction.status).toBe('completed');
      expect(interaction.steps.map((s) => s.type)).toEqual(['model_output']);
      expect(interaction.output_text).toMatch(/bugs/);
      expect(interaction.usage?.total_tokens).toBeGreaterThan(0);
    });

    it('stateful conversation, then stateless Step[] history', async () => {
      const named = await seed.nameConversation(client);
      expect(lastStepText(named.second.steps)).toBe('Your name is Phil.');

      const { second } = await seed.spainConversation(client);
      expect(lastStepText(second.steps)).toMatch(/Barcelona.*Sagrada Família/);
    });

    it('function calling with client-side state (schedule_meeting, full Step[] history resent)', async () => {
      const { requested, call, done } = await seed.meetingRoundTrip(client);
      expect(requested.status).toBe('requires_action');
      expect(call.arguments).toEqual(MEETING_ARGUMENTS);
      expect(done.status).toBe('completed');
      expect(lastStepText(done.steps)).toContain('Meeting scheduled successfully.');
      // The upstream saw the call and its result as an assistant tool call and a tool message.
      const sent = upstream.requests.at(-1)!.messages;
      expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
      expect(sent[2]?.tool_call_id).toBe(call.id);
    });

    it('streaming: step.delta … interaction.completed, with a function call streamed as arguments_delta', async () => {
      expect((await seed.streamEntanglement(client)).text).toMatch(/entangle/i);

      const { status, argumentFragments: fragments } = await seed.streamWeatherCall(client);
      expect(status).toBe('requires_action');
      expect(fragments.length).toBeGreaterThan(1);
      expect(JSON.parse(fragments.join(''))).toEqual({ location: 'Paris' });
    });

    it('thinking: the upstream reasoning becomes a thought step', async () => {
      const thinking = await seed.solveWithThinking(client);
      expect(thinking.steps.map((s) => s.type)).toEqual(['thought', 'model_output']);
      expect(lastStepText(thinking.steps)).toMatch(/\b36\b/);
      expect(upstream.requests.at(-1)?.reasoning_effort).toBe('high');
    });

    it('structured output: response_format with a schema, alone and after google_search', async () => {
      const interaction = await seed.moderate(client);
      moderationSchema.parse(JSON.parse(lastStepText(interaction.steps)));
      expect(upstream.requests.at(-1)?.response_format?.type).toBe('json_schema');

      seed.expectEuroAfterSearch(await seed.euroWithSearch(client));
    });

    it('code execution: the upstream asks for Python, our sandbox runs it', async () => {
      const code = await seed.fibonacci50(client);
      expect(code.steps.map((s) => s.type)).toEqual([
        'code_execution_call',
        'code_execution_result',
        'model_output',
      ]);
      expect(code.steps.find((s) => s.type === 'code_execution_result')).toMatchObject({
        result: FIBONACCI_50,
      });
      expect(lastStepText(code.steps)).toContain(FIBONACCI_50);
      // Offered to the upstream as a function; its result went back as a tool message.
      const sent = upstream.requests.at(-1)!;
      expect(sent.tools?.map((t) => t.function.name)).toEqual(['code_execution']);
      expect(sent.messages.at(-1)).toMatchObject({ role: 'tool', content: FIBONACCI_50 });
    });

    it('url_context: the upstream asks for a page, our server fetches it (here: refused offline), then it answers', async () => {
      const url = await seed.summarizeWikipedia(client);
      expect(url.steps.map((s) => s.type)).toEqual([
        'url_context_call',
        'url_context_result',
        'model_output',
      ]);
      expect(url.steps[0]).toMatchObject({ arguments: { urls: ['https://www.wikipedia.org/'] } });
      expect(lastStepText(url.steps)).toMatch(/^Here is what I found: ## .*wikipedia/);
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
      expect(lastStepText(mcp.steps)).toContain(weatherFor('New York'));
    });

    it('background: the Deep Research agent on the upstream model, polled until completed', async () => {
      const initial = await client.interactions.create({
        input: 'Research the history of the Google TPUs with a focus on 2025 and 2026.',
        agent: 'deep-research-pro-preview-12-2025',
        background: true,
        agent_config: { type: 'deep-research', thinking_summaries: 'auto' },
      });
      expect(initial.status).toBe('in_progress');
      const interaction = await pollUntilDone(() => client.interactions.get(initial.id as string));
      expect(interaction.status).toBe('completed');
      const types = interaction.steps.map((s) => s.type);
      expect(types).toContain('thought');
      expect(types).toContain('google_search_result');
      expect(types).toContain('url_context_result');
      const report = lastStepText(interaction.steps);
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
