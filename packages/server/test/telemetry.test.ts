/**
 * The server's OpenTelemetry spans (GenAI conventions), recorded by an in-memory SDK, over real HTTP: each
 * interaction is an `invoke_agent` span continuing the caller's `traceparent`, with a `chat` child per
 * provider call and an `execute_tool` child per server-executed tool call; a background interaction's span
 * lasts until it ends; a failed one carries `error.type`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { named, parentOf, TestTracing } from '../../core/test/helpers/spans.ts';
import {
  CorpusSearch,
  type CorpusSite,
  DEFAULT_SCRIPT,
  DEMO_SEARCH_CORPUS,
  loadCorpus,
  startCorpusSite,
} from '../src/index.ts';
import { call, closeAll, events, startServer } from './helpers/server.ts';

const CAPTURE = 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const traceparent = `00-${TRACE_ID}-${PARENT_ID}-01`;

const dir = mkdtempSync(join(tmpdir(), 'interplay-otel-'));
const corpus = join(dir, 'corpus.jsonl');
writeFileSync(corpus, `${JSON.stringify({ url: 'https://example.test/a', title: 'A', text: 'Agents.' })}\n`);

const SCRIPT = {
  rules: [
    { when: { input: 'fail' }, error: { code: 'rate_limit_exceeded', message: 'slow down' } },
    {
      when: { tools: ['google_search'], last: 'user_input' },
      respond: [{ type: 'google_search_call', arguments: { queries: ['agents'] } }],
    },
    { when: { last: 'google_search_result' }, respond: [{ type: 'text', text: 'Searched.' }] },
    { respond: [{ type: 'text', text: 'Hello there.' }] },
  ],
};

let tracing: TestTracing;
let url: string;
let site: CorpusSite;
beforeAll(async () => {
  tracing = new TestTracing();
  url = (await startServer({ script: SCRIPT, builtins: { searchCorpusPath: corpus } })).url;
  site = await startCorpusSite(loadCorpus(DEMO_SEARCH_CORPUS));
});
afterEach(() => {
  delete process.env[CAPTURE];
  tracing.reset();
});
afterAll(async () => {
  await closeAll();
  await site?.close();
  await tracing?.close();
  rmSync(dir, { recursive: true, force: true });
});

const interactionSpan = (spans: ReadableSpan[], id: string) =>
  spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['gen_ai.response.id'] === id);
const ended = (id: string) => (spans: ReadableSpan[]) => interactionSpan(spans, id) !== undefined;

describe('server spans', () => {
  it('an interaction continues the caller’s traceparent: invoke_agent → chat → execute_tool → chat', async () => {
    const reply = await call(`${url}/v1beta/interactions`, {
      headers: { traceparent },
      body: { model: 'm-1', input: 'Look it up', tools: [{ type: 'google_search' }] },
    });
    expect(reply.status).toBe(200);
    const body = reply.json as {
      id: string;
      usage: { total_input_tokens: number; total_output_tokens: number };
    };
    const spans = await tracing.until(ended(body.id));
    const interaction = interactionSpan(spans, body.id) as ReadableSpan;
    expect(interaction.kind).toBe(SpanKind.SERVER);
    expect(interaction.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(interaction)).toBe(PARENT_ID);
    expect(interaction.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.request.model': 'm-1',
      'gen_ai.response.id': body.id,
      'gen_ai.response.finish_reasons': ['completed'],
      'gen_ai.usage.input_tokens': body.usage.total_input_tokens,
      'gen_ai.usage.output_tokens': body.usage.total_output_tokens,
      'interplay.interaction.background': false,
    });

    const chats = named(spans, 'chat m-1');
    expect(chats).toHaveLength(2);
    const [tool, ...more] = named(spans, 'execute_tool google_search');
    expect(more).toHaveLength(0);
    for (const span of [...chats, tool]) {
      expect(span?.spanContext().traceId).toBe(TRACE_ID);
      expect(parentOf(span)).toBe(interaction.spanContext().spanId);
    }
    expect(chats[0]?.kind).toBe(SpanKind.CLIENT);
    expect(chats[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'scripted',
      'gen_ai.request.model': 'm-1',
      'gen_ai.response.id': body.id,
    });
    expect(chats[0]?.attributes['gen_ai.usage.output_tokens']).toBeTypeOf('number');
    expect(tool?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'google_search',
      'gen_ai.tool.type': 'extension',
    });
    expect(tool?.attributes['gen_ai.tool.call.id']).toMatch(/\S/);
    // No content without the opt-in.
    for (const span of spans) expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(tool?.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
  });

  it('without a traceparent an interaction starts its own trace', async () => {
    const reply = await call(`${url}/v1beta/interactions`, { body: { model: 'm-1', input: 'Hi' } });
    const { id } = reply.json as { id: string };
    const interaction = interactionSpan(await tracing.until(ended(id)), id);
    expect(interaction?.parentSpanContext).toBeUndefined();
    expect(interaction?.spanContext().traceId).not.toBe(TRACE_ID);
  });

  it('a failed interaction’s spans carry error.type (its error code) and an error status', async () => {
    const reply = await call(`${url}/v1beta/interactions`, {
      headers: { traceparent },
      body: { model: 'm-1', input: 'fail please', background: true },
    });
    const { id } = reply.json as { id: string };
    const spans = await tracing.until(ended(id));
    const interaction = interactionSpan(spans, id);
    expect(interaction?.attributes['error.type']).toBe('rate_limit_exceeded');
    expect(interaction?.attributes['gen_ai.response.finish_reasons']).toEqual(['failed']);
    expect(interaction?.status.code).toBe(SpanStatusCode.ERROR);
    const [chat] = named(spans, 'chat m-1');
    expect(chat?.attributes['error.type']).toBe('rate_limit_exceeded');
  });

  it('a background interaction’s span lasts until the interaction ends, after its create answered', async () => {
    const reply = await call(`${url}/v1beta/interactions`, {
      headers: { traceparent },
      body: { model: 'm-1', input: 'Look it up', tools: [{ type: 'google_search' }], background: true },
    });
    const { id } = reply.json as { id: string };
    const spans = await tracing.until(ended(id));
    const interaction = interactionSpan(spans, id) as ReadableSpan;
    expect(interaction.attributes['interplay.interaction.background']).toBe(true);
    expect(parentOf(interaction)).toBe(PARENT_ID);
    expect(named(spans, 'execute_tool google_search').map(parentOf)).toEqual([
      interaction.spanContext().spanId,
    ]);
    const got = await call(`${url}/v1beta/interactions/${id}`);
    expect((got.json as { status: string }).status).toBe('completed');
  });

  it(`message content is recorded only with ${CAPTURE}=true`, async () => {
    process.env[CAPTURE] = 'true';
    const reply = await call(`${url}/v1beta/interactions`, {
      body: {
        model: 'm-1',
        input: 'Look it up',
        system_instruction: 'Be brief.',
        tools: [{ type: 'google_search' }],
        stream: true,
      },
    });
    const id = events(reply.text)[0].interaction.id as string;
    const spans = await tracing.until(ended(id));
    const [first, second] = named(spans, 'chat m-1');
    expect(JSON.parse(String(first?.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Look it up' }] },
    ]);
    expect(JSON.parse(String(first?.attributes['gen_ai.system_instructions']))).toEqual([
      { type: 'text', content: 'Be brief.' },
    ]);
    expect(JSON.parse(String(second?.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Searched.' }] },
    ]);
    const [tool] = named(spans, 'execute_tool google_search');
    expect(JSON.parse(String(tool?.attributes['gen_ai.tool.call.arguments']))).toEqual({
      queries: ['agents'],
    });
    expect(String(tool?.attributes['gen_ai.tool.call.result'])).toContain('example.test/a');
  });

  it('an agent’s interaction: its provider calls and its searches are children of its span', async () => {
    const agent = 'deep-research-pro-preview-12-2025';
    const agents = await startServer({
      script: DEFAULT_SCRIPT,
      builtins: { searchBackend: new CorpusSearch(site.documents), allowHosts: ['127.0.0.1'] },
    });
    const reply = await call(`${agents.url}/v1beta/interactions`, {
      headers: { traceparent },
      body: { agent, input: 'Research the history of Google TPUs.', background: true },
    });
    const { id } = reply.json as { id: string };
    const spans = await tracing.until(ended(id));
    const interaction = interactionSpan(spans, id) as ReadableSpan;
    expect(interaction.name).toBe(`invoke_agent ${agent}`);
    expect(interaction.attributes['gen_ai.agent.name']).toBe(agent);
    expect(interaction.attributes['gen_ai.response.finish_reasons']).toEqual(['completed']);
    const inside = spans.filter((s) => parentOf(s) === interaction.spanContext().spanId);
    const names = new Set(inside.map((s) => s.name.split(' ')[0]));
    expect(names).toEqual(new Set(['chat', 'execute_tool']));
    expect(inside.some((s) => s.name === 'execute_tool google_search')).toBe(true);
    for (const chat of inside.filter((s) => s.name.startsWith('chat')))
      expect(chat.attributes['gen_ai.response.id']).toBe(id);
  });
});
