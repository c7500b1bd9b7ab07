/** Test helpers: a real server on 127.0.0.1:0 with a real SQLite file in a temp dir, and raw HTTP calls. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { InteractionsServerOptions } from '../../src/config.ts';
import { createInteractionsServer, type InteractionsServer } from '../../src/server.ts';

export interface TestServer {
  url: string;
  server: InteractionsServer;
  dir: string;
  dbPath: string;
  /** Every log line written so far (JSON text). */
  logs: string[];
  close(): Promise<void>;
}

const open: TestServer[] = [];

export async function startServer(options: InteractionsServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'interplay-http-'));
  const dbPath = options.dbPath ?? join(dir, 'interplay.db');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = pino({ level: 'trace' }, sink);
  const server = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    dbPath,
    logger,
    shutdownGraceMs: 50,
    ...options,
  });
  const { url } = await server.listen();
  let closed = false;
  const t: TestServer = {
    url,
    server,
    dir,
    dbPath,
    logs,
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  open.push(t);
  return t;
}

/** Close every server started by this test file (call from afterEach/afterAll). */
export async function closeAll(): Promise<void> {
  for (const t of open.splice(0)) await t.close();
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test convenience
  json: any;
}

export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; raw?: string | Uint8Array } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | Uint8Array | undefined;
  if (init.raw !== undefined) body = init.raw;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body: body as BodyInit | undefined,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Parsed SSE frames of a complete stream body (framing checked strictly: `event:` line, `data:` line, blank). */
export function frames(text: string): { event: string; data: string }[] {
  const out: { event: string; data: string }[] = [];
  for (const block of text.split('\n\n')) {
    if (block === '' || block.startsWith(':')) continue;
    const m = /^event: ([^\n]+)\ndata: ([^\n]*)$/.exec(block);
    if (!m) throw new Error(`bad SSE frame: ${JSON.stringify(block)}`);
    out.push({ event: m[1] as string, data: m[2] as string });
  }
  return out;
}

/** The JSON events of a stream (without the `[DONE]` terminator, which must be last). */
// biome-ignore lint/suspicious/noExplicitAny: test convenience
export function events(text: string): any[] {
  const fs = frames(text);
  const last = fs.at(-1);
  if (last?.event !== 'done' || last.data !== '[DONE]') throw new Error('stream did not end with [DONE]');
  return fs.slice(0, -1).map((f) => {
    const e = JSON.parse(f.data);
    if (e.event_type !== f.event) throw new Error(`event: ${f.event} but event_type ${e.event_type}`);
    return e;
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `check` returns a value (not undefined) or time runs out. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('waitFor timed out');
    await sleep(15);
  }
}

/** A script answering one fixed text, streamed word by word. */
export function textScript(text: string, delayMs?: number): object {
  return {
    ...(delayMs === undefined ? {} : { delay_ms: delayMs }),
    rules: [{ respond: [{ type: 'text', text }] }],
  };
}

/** `count` words, for a slow stream. */
export const manyWords = (count: number): string =>
  Array.from({ length: count }, (_, i) => `word${i + 1}`).join(' ');
