/**
 * The Runner's OpenTelemetry spans (GenAI conventions), recorded by an in-memory SDK: a run against the real
 * server over HTTP gives `invoke_agent` → `chat` per model call and `execute_tool` per tool call, and the
 * server's spans continue the same trace (the client sends `traceparent`).
 */
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Agent, Runner } from '../src/index.ts';
import { call, FakeBackend, text } from './helpers/fake-backend.ts';
import { named, parentOf, TestTracing } from './helpers/spans.ts';
import { checkDatabase, getWeather } from './helpers/tools.ts';
import { clientFor, startServer, type TestServer } from './http/server.ts';

const model = 'gemini-3-flash-preview';
const CAPTURE = 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT';

let tracing: TestTracing;
let srv: TestServer;
beforeAll(async () => {
  tracing = new TestTracing();
  srv = await startServer();
});
afterEach(() => {
  delete process.env[CAPTURE];
  tracing.reset();
});
afterAll(async () => {
  await srv?.close();
  await tracing?.close();
});

/** The Runner's spans (the server in this process records its own). */
const ours = (spans: ReadableSpan[]) =>
  spans.filter((s) => s.instrumentationScope.name === '@interplay/core');

/** Both server interactions' spans have ended (the run's own spans end before `run()` returns). */
const serverDone = (spans: ReadableSpan[]) =>
  spans.filter((s) => s.name === 'invoke_agent' && s.kind === SpanKind.SERVER).length === 2;

describe.each([false, true])('a run over HTTP (stream: %s)', (stream) => {
  it('is one trace: invoke_agent → chat per model call (→ the server’s interaction) and execute_tool per call', async () => {
    const runner = new Runner({ client: clientFor(srv.url, 'steps'), model, tools: [getWeather], stream });
    const result = await runner.run('What is the weather in Paris?');
    expect(result.finishReason).toBe('completed');
    const spans = await tracing.until(serverDone);

    const runs = spans.filter((s) => s.name === 'invoke_agent' && s.kind === SpanKind.INTERNAL);
    expect(runs).toHaveLength(1);
    const run = runs[0] as ReadableSpan;
    expect(run.parentSpanContext).toBeUndefined();
    expect(run.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.request.model': model,
      'gen_ai.response.id': result.lastInteractionId,
      'gen_ai.usage.input_tokens': result.usage.total_input_tokens,
      'gen_ai.usage.output_tokens': result.usage.total_output_tokens,
      'gen_ai.response.finish_reasons': ['completed'],
    });

    const chats = named(ours(spans), `chat ${model}`);
    expect(chats).toHaveLength(2);
    expect(chats.map(parentOf)).toEqual([run.spanContext().spanId, run.spanContext().spanId]);
    expect(chats.map((s) => s.attributes['gen_ai.response.id'])).toEqual(
      result.steps.map((s) => s.interactionId),
    );
    expect(chats[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': model,
      'gen_ai.usage.input_tokens': result.steps[0]?.usage.total_input_tokens,
      'gen_ai.usage.output_tokens': result.steps[0]?.usage.total_output_tokens,
    });

    const [toolSpan, ...moreTools] = named(spans, 'execute_tool get_weather');
    expect(moreTools).toHaveLength(0);
    expect(parentOf(toolSpan)).toBe(run.spanContext().spanId);
    expect(toolSpan?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': result.steps[0]?.toolCalls[0]?.id,
    });
    expect(toolSpan?.status.code).not.toBe(SpanStatusCode.ERROR);

    // The server's interaction spans are the children of the client's chat spans: one trace end to end.
    const served = spans.filter((s) => s.name === 'invoke_agent' && s.kind === SpanKind.SERVER);
    expect(served.map((s) => s.attributes['gen_ai.response.id'])).toEqual(
      result.steps.map((s) => s.interactionId),
    );
    expect(served.map(parentOf)).toEqual(chats.map((s) => s.spanContext().spanId));
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([run.spanContext().traceId]));
    // No message content without the opt-in.
    for (const span of spans) {
      expect(Object.keys(span.attributes).filter((k) => /messages|arguments|result$/.test(k))).toEqual([]);
    }
  });
});

it('a failing tool’s span has error.type and an error status; the run goes on', async () => {
  const runner = new Runner({ client: clientFor(srv.url, 'steps'), model, tools: [checkDatabase] });
  const result = await runner.run('Please check the database');
  expect(result.finishReason).toBe('completed');
  const [span] = named(tracing.spans, 'execute_tool check_database');
  expect(span?.attributes['error.type']).toBe('execution_error');
  expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  await tracing.until(serverDone);
});

it('a failed run’s span has error.type from the error’s code', async () => {
  const backend = new FakeBackend([
    { output: [], status: 'failed', errors: [{ code: 'resource_exhausted', message: 'quota' }] },
  ]);
  await expect(new Runner({ backend, model }).run('hi')).rejects.toThrow();
  const [run] = named(tracing.spans, 'invoke_agent');
  const [chat] = named(tracing.spans, `chat ${model}`);
  expect(chat?.attributes['error.type']).toBe('resource_exhausted');
  expect(run?.attributes['error.type']).toBeTypeOf('string');
  expect(run?.status.code).toBe(SpanStatusCode.ERROR);
});

it(`message content is recorded only with ${CAPTURE}=true`, async () => {
  process.env[CAPTURE] = 'true';
  const runner = new Runner({
    client: clientFor(srv.url, 'steps'),
    model,
    tools: [getWeather],
    instructions: 'Be brief.',
  });
  await runner.run('What is the weather in Paris?');
  const [first, second] = named(ours(tracing.spans), `chat ${model}`);
  expect(JSON.parse(String(first?.attributes['gen_ai.input.messages']))).toEqual([
    { role: 'user', parts: [{ type: 'text', content: 'What is the weather in Paris?' }] },
  ]);
  expect(JSON.parse(String(first?.attributes['gen_ai.system_instructions']))).toEqual([
    { type: 'text', content: 'Be brief.' },
  ]);
  const output = JSON.parse(String(first?.attributes['gen_ai.output.messages']));
  expect(output[0].parts).toContainEqual(
    expect.objectContaining({ type: 'tool_call', name: 'get_weather', arguments: { location: 'Paris' } }),
  );
  expect(JSON.parse(String(second?.attributes['gen_ai.input.messages']))).toEqual([
    {
      role: 'tool',
      parts: [
        expect.objectContaining({ type: 'tool_call_response', response: 'The weather in Paris is sunny.' }),
      ],
    },
  ]);
  const [toolSpan] = named(tracing.spans, 'execute_tool get_weather');
  expect(JSON.parse(String(toolSpan?.attributes['gen_ai.tool.call.arguments']))).toEqual({
    location: 'Paris',
  });
  expect(JSON.parse(String(toolSpan?.attributes['gen_ai.tool.call.result']))).toBe(
    'The weather in Paris is sunny.',
  );
  await tracing.until(serverDone);
  const serverChat = tracing.spans.find(
    (s) => s.name === `chat ${model}` && s.instrumentationScope.name === '@interplay/server',
  );
  expect(serverChat?.attributes['gen_ai.input.messages']).toContain('What is the weather in Paris?');
});

it('the spans of a step are the run’s children even when its reader reads inside a span of its own', async () => {
  const backend = new FakeBackend([[call('get_weather', { location: 'Oslo' })], [text('Sunny in Oslo.')]]);
  const runner = new Runner({ backend, model, tools: [getWeather] });
  const events = runner.iterate('Weather in Oslo?');
  const reader = trace.getTracer('test').startSpan('reader');
  const readerContext = trace.setSpan(context.active(), reader);
  // Each event is read in the reader's own span, as a UI or a flow would: the run's context must not leak.
  for (;;) {
    const next = await context.with(readerContext, () => events.next());
    if (next.done) break;
  }
  reader.end();
  const [run] = named(tracing.spans, 'invoke_agent');
  const runId = run?.spanContext().spanId;
  expect(run?.parentSpanContext).toBeUndefined();
  const children = tracing.spans.filter(
    (s) => s.name.startsWith('chat') || s.name.startsWith('execute_tool'),
  );
  expect(children.map((s) => s.name).sort()).toEqual([
    `chat ${model}`,
    `chat ${model}`,
    'execute_tool get_weather',
  ]);
  for (const span of children) expect(parentOf(span)).toBe(runId);
});

it('an Agent’s run is named after it; an agent used as a tool runs under its execute_tool span', async () => {
  const writer = new Agent({ name: 'writer', instructions: 'Write.' });
  const researcher = new Agent({
    name: 'researcher',
    tools: [writer.asTool({ name: 'write_article', description: 'Writes an article.' })],
  });
  const backend = new FakeBackend([
    [call('write_article', { input: 'tide pools' })],
    [text('An article.')],
    [text('Published.')],
  ]);
  const result = await new Runner({ backend, model }).run(researcher, 'Write about tide pools');
  expect(result.text).toBe('Published.');
  const [outer] = named(tracing.spans, 'invoke_agent researcher');
  const [toolSpan] = named(tracing.spans, 'execute_tool write_article');
  const [inner] = named(tracing.spans, 'invoke_agent writer');
  expect(outer?.attributes['gen_ai.agent.name']).toBe('researcher');
  expect(parentOf(toolSpan)).toBe(outer?.spanContext().spanId);
  expect(parentOf(inner)).toBe(toolSpan?.spanContext().spanId);
  expect(named(tracing.spans, `chat ${model}`).map(parentOf).sort()).toEqual(
    [outer, inner, outer].map((s) => s?.spanContext().spanId).sort(),
  );
});
