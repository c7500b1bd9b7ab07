/**
 * End to end: `interplay serve` and `interplay run` as two real processes, each exporting its spans over
 * OTLP/HTTP to a receiver started here (node:http), once as JSON (`http/json`) and once as protobuf (the
 * default, decoded with protobufjs from the OTLP trace schema's field numbers). The run's `chat` span and the
 * server's `invoke_agent` → `chat` spans for the same interaction make one trace across both processes; so do
 * a Runner's tool loop (in this process, recorded in memory) and the server's work for each of its steps.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InteractionsClient } from '@interplay/client';
import { Runner, tool } from '@interplay/core';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TestTracing } from '../../core/test/helpers/spans.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const MAIN = join(ROOT, 'packages/cli/src/main.ts');
const MODEL = 'gemini-3-flash-preview';

/** The part of opentelemetry-proto's trace service request these tests read (field numbers as published). */
const OTLP_PROTO = `
syntax = "proto3";
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
message InstrumentationScope { string name = 1; string version = 2; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; string name = 5;
  int32 kind = 6; repeated KeyValue attributes = 9;
}
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
`;
const ExportRequest = protobuf.parse(OTLP_PROTO).root.lookupType('ExportTraceServiceRequest');

/** One exported span, whichever encoding carried it. */
interface Exported {
  service: string;
  scope: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
}

interface Export {
  contentType: string;
  spans: Exported[];
}

/** An OTLP/HTTP receiver for traces: it decodes each export request by its content type. */
class Receiver {
  readonly exports: Export[] = [];
  readonly #server: Server;

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const contentType = req.headers['content-type'] ?? '';
        const body = Buffer.concat(chunks);
        if (req.url !== '/v1/traces') res.writeHead(404).end();
        else {
          this.exports.push({ contentType, spans: decode(contentType, body) });
          res.writeHead(200, { 'content-type': contentType }).end(contentType.includes('json') ? '{}' : '');
        }
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get spans(): Exported[] {
    return this.exports.flatMap((e) => e.spans);
  }

  close(): Promise<void> {
    return new Promise((r) => this.#server.close(() => r()));
  }
}

type Attribute = { key: string; value?: Record<string, unknown> };

function value(any: Record<string, unknown> | undefined): unknown {
  if (!any) return undefined;
  if ('stringValue' in any) return any.stringValue;
  if ('boolValue' in any) return any.boolValue;
  if ('intValue' in any) return Number(any.intValue);
  if ('doubleValue' in any) return any.doubleValue;
  if ('arrayValue' in any)
    return ((any.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(value);
  return undefined;
}

const attributes = (list: Attribute[] | undefined) =>
  Object.fromEntries((list ?? []).map((a) => [a.key, value(a.value)]));

function decode(contentType: string, body: Buffer): Exported[] {
  // JSON carries ids as hex strings; protobuf as bytes (read here as base64, then made hex).
  const json = contentType.includes('json');
  const request = json
    ? JSON.parse(body.toString('utf8'))
    : ExportRequest.toObject(ExportRequest.decode(body), { bytes: String, longs: Number });
  const hex = (id: string | undefined) =>
    json ? (id ?? '') : Buffer.from(id ?? '', 'base64').toString('hex');
  const out: Exported[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const service = String(attributes(rs.resource?.attributes)['service.name']);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        out.push({
          service,
          scope: ss.scope?.name ?? '',
          name: span.name,
          traceId: hex(span.traceId),
          spanId: hex(span.spanId),
          parentSpanId: hex(span.parentSpanId),
          attributes: attributes(span.attributes),
        });
      }
    }
  }
  return out;
}

/** Two CLI processes starting from source on a machine shared with the rest of the suite: a minute, not 30 s. */
const PROCESSES = { timeout: 120_000 };

const children: ChildProcess[] = [];
let stateDir: string;
beforeAll(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'interplay-otel-e2e-'));
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

/** This process's environment without OTEL_* variables (a developer's own must not leak into the tests). */
function withoutOtel(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('OTEL_')) delete env[name];
  return env;
}

/**
 * Node with `argv` in the repo root, its environment `base` with the test's state dir and `env` over it;
 * killed after the test if still running, its stdout and stderr kept as one text.
 */
function spawnNode(
  argv: string[],
  base: NodeJS.ProcessEnv,
  env: Record<string, string>,
): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { ...base, INTERPLAY_STATE_DIR: stateDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, output: () => output };
}

/** The CLI with `args`, with no API key or base URL from this process's environment: only `env`'s. */
function spawnCli(args: string[], env: Record<string, string>) {
  const base = withoutOtel();
  for (const name of ['GEMINI_API_KEY', 'INTERPLAY_BASE_URL', 'INTERPLAY_API_KEY']) delete base[name];
  return spawnNode([MAIN, ...args], base, env);
}

async function serve(
  env: Record<string, string>,
): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const server = spawnCli(['serve', '--port', '0', '--db', ':memory:', '--log-level', 'warn'], env);
  const url = await new Promise<string>((resolveUrl, reject) => {
    server.child.stdout?.on('data', () => {
      const found = /Interplay listening on (\S+)/.exec(server.output());
      if (found?.[1]) resolveUrl(found[1]);
    });
    server.child.once('exit', () => reject(new Error(`serve exited: ${server.output()}`)));
  });
  return {
    url,
    stop: () => {
      server.child.kill('SIGTERM');
      return server.exited;
    },
  };
}

describe.each([
  { protocol: 'http/json', contentType: 'application/json' },
  { protocol: 'http/protobuf', contentType: 'application/x-protobuf' },
])('OTLP over $protocol', ({ protocol, contentType }) => {
  let receiver: Receiver;
  let endpoint: string;
  beforeAll(async () => {
    receiver = new Receiver();
    endpoint = await receiver.listen();
  });
  afterAll(() => receiver?.close());

  it('interplay run and interplay serve export one trace across both processes', PROCESSES, async () => {
    // Only the generic endpoint is given: the exporters add /v1/traces. http/protobuf is the default.
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      ...(protocol === 'http/json' ? { OTEL_EXPORTER_OTLP_PROTOCOL: protocol } : {}),
    };
    const server = await serve({ ...otel, OTEL_SERVICE_NAME: 'e2e-serve' });
    const run = spawnCli(['run', 'Hello', '--model', MODEL, '--base-url', server.url], {
      ...otel,
      OTEL_SERVICE_NAME: 'e2e-run',
    });
    expect(await run.exited, run.output()).toBe(0);
    // The server's spans are batched; stopping it flushes them.
    expect(await server.stop()).toBe(0);

    expect(receiver.exports.length).toBeGreaterThan(0);
    for (const e of receiver.exports) expect(e.contentType).toBe(contentType);
    const spans = receiver.spans;
    const client = spans.filter((s) => s.service === 'e2e-run');
    const served = spans.filter((s) => s.service === 'e2e-serve');

    const [call, ...moreCalls] = client.filter((s) => s.name === `chat ${MODEL}`);
    expect(moreCalls).toHaveLength(0);
    expect(call?.parentSpanId).toBe('');
    const interactionId = call?.attributes['gen_ai.response.id'];
    expect(interactionId).toMatch(/\S/);
    expect(run.output()).toContain(String(interactionId));

    const interaction = served.find(
      (s) => s.name === 'invoke_agent' && s.attributes['gen_ai.response.id'] === interactionId,
    );
    expect(interaction?.traceId).toBe(call?.traceId);
    expect(interaction?.parentSpanId).toBe(call?.spanId);
    expect(interaction?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.request.model': MODEL,
    });
    const providerCall = served.find((s) => s.name === `chat ${MODEL}`);
    expect(providerCall?.traceId).toBe(call?.traceId);
    expect(providerCall?.parentSpanId).toBe(interaction?.spanId);
    expect(providerCall?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'scripted',
      'gen_ai.response.id': interactionId,
    });
    expect(providerCall?.attributes['gen_ai.usage.output_tokens']).toBeTypeOf('number');
  });
});

describe('the SDK registration', () => {
  /** The modules a command loaded, as a resolve hook in its process saw them. */
  async function loaded(
    env: Record<string, string>,
  ): Promise<{ code: number | null; urls: string[]; output: string }> {
    const hook = `import { registerHooks } from 'node:module';
      const seen = new Set();
      registerHooks({ resolve(s, c, next) { const r = next(s, c); seen.add(r.url); return r; } });
      process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify([...seen]) + '\\n'));`;
    const cli = spawnNode(
      ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, MAIN, 'run', '--help'],
      withoutOtel(),
      env,
    );
    const code = await cli.exited;
    const output = cli.output();
    const urls = JSON.parse(/LOADED (.*)/.exec(output)?.[1] ?? '[]') as string[];
    return { code, urls, output };
  }
  const SDK = /@opentelemetry\/(sdk-trace-node|exporter-trace-otlp|resources)/;

  it('loads no OpenTelemetry SDK; with one configured, the command loads it', PROCESSES, async () => {
    const off = await loaded({});
    expect(off.code).toBe(0);
    expect(off.urls.length).toBeGreaterThan(0);
    expect(off.urls.filter((u) => SDK.test(u))).toEqual([]);
    const on = await loaded({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9/v1/traces' });
    expect(on.code).toBe(0);
    expect(on.urls.some((u) => SDK.test(u))).toBe(true);
  });

  it('an unsupported OTLP protocol is refused, naming the variable', async () => {
    const r = await loaded({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    });
    expect(r.code).toBe(1);
    expect(r.output).toContain(
      "OTEL_EXPORTER_OTLP_PROTOCOL='grpc' is not supported: use http/protobuf or http/json",
    );
  });
});

describe('a Runner in this process, interplay serve in another', () => {
  let receiver: Receiver;
  let tracing: TestTracing;
  beforeAll(async () => {
    receiver = new Receiver();
    tracing = new TestTracing();
  });
  afterAll(async () => {
    await tracing?.close();
    await receiver?.close();
  });

  it('the tool loop and the server’s work for each step are one trace', PROCESSES, async () => {
    const endpoint = await receiver.listen();
    const server = await serve({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'e2e-serve',
    });
    const getWeather = tool({
      name: 'get_weather',
      description: 'Gets the weather for a city.',
      parameters: z.object({ location: z.string() }),
      execute: ({ location }) => `Sunny in ${location}.`,
    });
    const client = new InteractionsClient({ baseUrl: server.url, maxRetries: 0 });
    const result = await new Runner({ client, model: MODEL, tools: [getWeather] }).run(
      'What is the weather in Paris?',
    );
    expect(result.steps.map((s) => s.status)).toEqual(['requires_action', 'completed']);
    expect(await server.stop()).toBe(0);

    const local = tracing.spans;
    const run = local.find((s) => s.name === 'invoke_agent');
    const traceId = run?.spanContext().traceId;
    const chats = local.filter((s) => s.name === `chat ${MODEL}`);
    expect(chats.map((s) => s.parentSpanContext?.spanId)).toEqual([
      run?.spanContext().spanId,
      run?.spanContext().spanId,
    ]);
    const toolSpan = local.find((s) => s.name === 'execute_tool get_weather');
    expect(toolSpan?.parentSpanContext?.spanId).toBe(run?.spanContext().spanId);

    const served = receiver.spans.filter((s) => s.service === 'e2e-serve' && s.name === 'invoke_agent');
    expect(served.map((s) => s.attributes['gen_ai.response.id'])).toEqual(
      result.steps.map((s) => s.interactionId),
    );
    expect(served.map((s) => s.traceId)).toEqual([traceId, traceId]);
    expect(served.map((s) => s.parentSpanId)).toEqual(chats.map((s) => s.spanContext().spanId));
    const providerCalls = receiver.spans.filter(
      (s) => s.service === 'e2e-serve' && s.name === `chat ${MODEL}`,
    );
    expect(providerCalls.map((s) => s.parentSpanId).sort()).toEqual(served.map((s) => s.spanId).sort());
  });
});
