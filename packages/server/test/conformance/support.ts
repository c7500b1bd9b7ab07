/**
 * Shared set-up of the seed conformance tests: our server as the seeds' examples need it (default script,
 * built-in tools with the test search corpus, hosted MCP allowed on loopback, an API key as in the curls),
 * the `weather_service` MCP server of examples/mcp on 127.0.0.1, a tiny media server for `YOUR_URL`
 * inputs, the seeds' curl requests (method, URL, body) and a revision-neutral view of a response.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { startWeatherServer } from '../../../../examples/mcp/weather-server.ts';
import { startRoundRobinProxy } from '../../../../scripts/round-robin-proxy.ts';
import { seedCurls } from '../../../protocol/test/fixtures/index.ts';
import type { InteractionsServerOptions } from '../../src/config.ts';
import { dropSchemas, newSchemaName, requirePostgres, schemaUrl } from '../helpers/postgres.ts';
import { call, startServer, type TestServer, waitFor } from '../helpers/server.ts';

export { weatherFor } from '../../../../examples/mcp/weather-server.ts';

export const API_KEY = 'conformance-key';
export const LEGACY_REVISION = '2026-05-07';
export const STEPS_REVISION = '2026-05-20';
export type Revision = 'legacy' | 'steps';
export const REVISION_HEADER: Record<Revision, string> = { legacy: LEGACY_REVISION, steps: STEPS_REVISION };
export const FIBONACCI_50 = '12586269025';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SEARCH_CORPUS = path.resolve(here, '../../assets/search-corpus.jsonl');

// ---- tiny media files ---------------------------------------------------------------------------

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** 0.05 s of 16-bit mono silence at 8 kHz, as a WAV file. */
function wav(): Buffer {
  const samples = 400;
  const data = samples * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(data, 40);
  return b;
}

/** An MP4 `ftyp` box: enough for a sniffer, not a playable video. */
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isommp41'),
]);

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    'trailer<</Root 1 0 R>>\n%%EOF\n',
);

/** JPEG start/end markers around a JFIF header: the Files API only stores it. */
export const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00, 0xff, 0xd9,
]);

/** The files the seeds name (`car.png`, `speech.wav`, …), by name, with their MIME types. */
export const MEDIA: Record<string, { data: Buffer; mime: string }> = {
  'car.png': { data: PNG, mime: 'image/png' },
  'speech.wav': { data: wav(), mime: 'audio/wav' },
  'video.mp4': { data: MP4, mime: 'video/mp4' },
  'sample.pdf': { data: PDF, mime: 'application/pdf' },
  'cats-and-dogs.jpg': { data: JPEG, mime: 'image/jpeg' },
};

/** The media file standing in for `YOUR_URL` in an input part of this type. */
export const MEDIA_FOR_TYPE: Record<string, string> = {
  image: 'car.png',
  audio: 'speech.wav',
  video: 'video.mp4',
  document: 'sample.pdf',
};

export interface MediaServer {
  url: string;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves MEDIA on 127.0.0.1 (`${url}/car.png`, …). */
export async function startMediaServer(): Promise<MediaServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = MEDIA[(req.url ?? '').slice(1)];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.mime, 'content-length': file.data.length });
    res.end(file.data);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- the environment --------------------------------------------------------------------------

export interface Conformance {
  /** Our Interactions server. */
  api: TestServer;
  /** The `weather_service` MCP endpoint (examples/mcp/weather-server.ts). */
  mcpUrl: string;
  media: MediaServer;
  close(): Promise<void>;
}

/**
 * Our server as the seeds need it, with the MCP and media servers. With `replicas`, that many servers share
 * one Postgres database (a schema of its own) behind a round-robin proxy, and `api.url` is the proxy's.
 */
export async function startConformance(options: { replicas?: number } = {}): Promise<Conformance> {
  const weather = await startWeatherServer();
  const media = await startMediaServer();
  const serve = (more: InteractionsServerOptions = {}) =>
    startServer({
      apiKeys: [API_KEY],
      builtins: { searchCorpusPath: SEARCH_CORPUS, warmCode: true },
      mcp: { allowPrivateNetworks: true },
      fileActivationMs: 20,
      ...more,
    });
  if (options.replicas === undefined) {
    const api = await serve();
    return {
      api,
      mcpUrl: weather.url,
      media,
      async close() {
        await api.close();
        await weather.close();
        await media.close();
      },
    };
  }
  await requirePostgres();
  const schema = newSchemaName();
  const postgresUrl = schemaUrl(schema);
  // One first, so the others find the schema migrated; then the rest at once.
  const first = await serve({ postgresUrl });
  const rest = await Promise.all(Array.from({ length: options.replicas - 1 }, () => serve({ postgresUrl })));
  const servers = [first, ...rest];
  const proxy = await startRoundRobinProxy(servers.map((s) => s.url));
  return {
    api: { ...first, url: proxy.url },
    mcpUrl: weather.url,
    media,
    async close() {
      await proxy.close();
      for (const s of servers) await s.close();
      await weather.close();
      await media.close();
      await dropSchemas([schema]);
    },
  };
}

/** Upload through the Files API over raw HTTP (resumable, one chunk), then wait until it is ACTIVE. */
export async function uploadFile(
  baseUrl: string,
  data: Buffer,
  mime: string,
): Promise<{ name: string; uri: string }> {
  const key = { 'x-goog-api-key': API_KEY };
  const start = await call(`${baseUrl}/upload/v1beta/files`, {
    body: { file: { displayName: 'seed upload' } },
    headers: {
      ...key,
      'x-goog-upload-protocol': 'resumable',
      'x-goog-upload-command': 'start',
      'x-goog-upload-header-content-length': String(data.length),
      'x-goog-upload-header-content-type': mime,
    },
  });
  expect(start.status).toBe(200);
  const done = await call(start.headers.get('x-goog-upload-url') as string, {
    raw: data,
    headers: { 'x-goog-upload-command': 'upload, finalize', 'x-goog-upload-offset': '0' },
  });
  expect(done.status).toBe(200);
  const file = done.json.file as { name: string; uri: string };
  await waitFor(async () => {
    const got = await call(`${baseUrl}/v1beta/${file.name}`, { headers: key });
    return got.json?.state === 'ACTIVE' ? true : undefined;
  });
  return file;
}

// ---- the seeds' curl requests -----------------------------------------------------------------

export interface SeedRequest {
  /** Where it occurs: `000:38`, … (seed file prefix and line of its `-d`, or of its `curl` line for GETs). */
  at: string[];
  method: string;
  /** Path and query as in the seed, e.g. `/v1beta/interactions?alt=sse`. */
  path: string;
  commented: boolean;
  /** The JSON body text as the seed writes it (after the extractor's shell-splice handling). */
  text: string | undefined;
  body: Record<string, unknown> | undefined;
  /** For a commented second step (`INTERACTION_ID`…): the request it continues, in the same seed. */
  previous: SeedRequest | undefined;
}

const label = (file: string, line: number) => `${file.slice(0, 3)}:${line}`;

/**
 * Every curl request with a body in the seeds (protocol/test/fixtures/seed-curls.json), deduplicated (same
 * method, path, body and predecessor), in seed order. A commented-out body that names `INTERACTION_ID`
 * continues the nearest uncommented body above it.
 */
export function seedPostRequests(): SeedRequest[] {
  const out = new Map<string, SeedRequest>();
  const lastByFile = new Map<string, SeedRequest>();
  for (const c of seedCurls) {
    if (c.body === undefined) continue;
    const body = JSON.parse(c.body) as Record<string, unknown>;
    const previous = c.commented && c.body.includes('INTERACTION_ID') ? lastByFile.get(c.file) : undefined;
    const key = JSON.stringify([
      c.method,
      c.path,
      body,
      previous ? JSON.stringify([previous.path, previous.body]) : '',
    ]);
    let r = out.get(key);
    if (!r) {
      r = { at: [], method: c.method, path: c.path, commented: c.commented, text: c.body, body, previous };
      out.set(key, r);
    }
    r.at.push(label(c.file, c.line));
    if (!c.commented) lastByFile.set(c.file, r);
  }
  return [...out.values()];
}

/** The seeds' body-less curl requests (`GET …/interactions/<ID>`), deduplicated by path. */
export function seedGetRequests(): SeedRequest[] {
  const out = new Map<string, SeedRequest>();
  for (const c of seedCurls) {
    if (c.method !== 'GET') continue;
    let r = out.get(c.path);
    if (!r) {
      r = {
        at: [],
        method: 'GET',
        path: c.path,
        commented: c.commented,
        text: undefined,
        body: undefined,
        previous: undefined,
      };
      out.set(c.path, r);
    }
    r.at.push(label(c.file, c.line));
  }
  return [...out.values()];
}

// ---- placeholders -----------------------------------------------------------------------------

export interface Realize {
  media: MediaServer;
  mcpUrl: string;
  fileUri?: string;
  interactionId?: string;
  callId?: string;
}

const BASE64_OF = /^\$\(base64 -w0 ([\w.-]+)\)$/;

/**
 * The body as a user runs it: what the shell or the reader fills in (`$(base64 -w0 car.png)`, `YOUR_URL`,
 * `FILE_URI`, `INTERACTION_ID`, `FUNCTION_CALL_ID`) and the hosted MCP server's URL (the seeds' public demo
 * server is out of reach offline). Everything else is kept. Returns what was replaced, for the test name.
 */
export function realize(body: unknown, ctx: Realize): { body: unknown; replaced: string[] } {
  const replaced = new Set<string>();
  const walk = (value: unknown, parent: Record<string, unknown> | undefined): unknown => {
    if (typeof value === 'string') {
      const b64 = BASE64_OF.exec(value);
      if (b64) {
        const file = MEDIA[b64[1] as string];
        if (!file) throw new Error(`no test file for ${value}`);
        replaced.add(value);
        return file.data.toString('base64');
      }
      if (value === 'YOUR_URL') {
        replaced.add(value);
        return `${ctx.media.url}/${MEDIA_FOR_TYPE[String(parent?.type)] ?? 'car.png'}`;
      }
      const fill: Record<string, string | undefined> = {
        FILE_URI: ctx.fileUri,
        INTERACTION_ID: ctx.interactionId,
        FUNCTION_CALL_ID: ctx.callId,
      };
      if (Object.hasOwn(fill, value)) {
        const v = fill[value];
        if (v === undefined) throw new Error(`nothing to fill ${value} with`);
        replaced.add(value);
        return v;
      }
      return value;
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, parent));
    if (value && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      const copy = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, walk(v, obj)]));
      if (obj.type === 'mcp_server' && typeof obj.url === 'string') {
        replaced.add('mcp_server url');
        copy.url = ctx.mcpUrl;
      }
      return copy;
    }
    return value;
  };
  return { body: walk(body, undefined), replaced: [...replaced] };
}

/** Whether a body needs a file uploaded first (its `FILE_URI`). */
export const needsFile = (r: SeedRequest) => r.text?.includes('"FILE_URI"') ?? false;

// ---- responses, revision-neutral --------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: wire JSON
export type Json = any;

/**
 * The output content of an interaction as one flat list, whatever the revision: legacy `outputs` as they
 * are; steps flattened (a `model_output` step's content parts, other steps as they are; `user_input` steps
 * of a GET left out). Also checks the revision's shape: `outputs` xor `steps`.
 */
export function outputsOf(json: Json, revision: Revision): Json[] {
  if (revision === 'legacy') {
    expect(json, 'a legacy interaction has no steps').not.toHaveProperty('steps');
    expect(Array.isArray(json.outputs ?? []), 'legacy outputs').toBe(true);
    return json.outputs ?? [];
  }
  expect(json, 'a steps interaction has no outputs').not.toHaveProperty('outputs');
  expect(Array.isArray(json.steps), 'steps').toBe(true);
  return (json.steps as Json[]).flatMap((s) => {
    if (s.type === 'user_input') return [];
    if (s.type === 'model_output') return s.content ?? [];
    return [s];
  });
}

/** The answer text: the text parts after the last tool result (what `outputs[-1].text` shows). */
export function textOf(outputs: Json[]): string {
  return outputs
    .filter((o) => o.type === 'text')
    .map((o) => o.text as string)
    .join('');
}

/** What every interaction resource of either revision carries. */
export function expectInteraction(json: Json, revision: Revision): void {
  expect(json.object).toBe('interaction');
  expect(json.id).toMatch(/^v1_[\w-]{24}$/);
  expect(json.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  expect(json.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  if (revision === 'legacy') expect(json.role).toBe(json.agent ? 'agent' : 'model');
  if (json.status !== 'in_progress') expect(json.usage.total_tokens).toBeGreaterThan(0);
}

/**
 * A scripted answer that is a real answer: not the fallback for an unscripted prompt, no template
 * placeholder left unfilled.
 */
export function expectAnswered(text: string): void {
  expect(text.trim().length, 'a non-empty answer').toBeGreaterThan(0);
  expect(text).not.toMatch(/^I have no scripted answer/);
  expect(text).not.toMatch(/\{\{[\w.\s]*\}\}/);
}
