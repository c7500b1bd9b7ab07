/**
 * A streamed create as a gateway in front of a Chat Completions upstream (the `openai` provider), over
 * loopback HTTP: the model request leaves before our response head (so our own write is not on the path to
 * the first token), every socket write of the SSE response carries whole chunks (the head with the first
 * frames; never a chunk's size line or CRLF alone), and a row that cannot be written still fails the stream
 * although the run — and its model request — started before the row's write finished.
 *
 * The fake upstream answers in the documented Chat Completions streaming shape (`chat.completion.chunk`
 * objects as SSE `data:` lines, then `data: [DONE]`; https://platform.openai.com/docs/api-reference/chat-streaming).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Agent as HttpAgent, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_STORED_ERROR } from '../src/runtime/run.ts';
import { createInteractionsServer } from '../src/server.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { failingStore } from './helpers/failing-store.ts';
import { call, closeAll, startServer } from './helpers/server.ts';

afterEach(closeAll);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A Chat Completions upstream streaming `tokens` content chunks; `onRequest` runs as each request arrives. */
async function chatUpstream(tokens: string[], onRequest: () => void = () => {}): Promise<string> {
  const server: Server = createServer((req, res) => {
    onRequest();
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: object, finish: string | null = null) =>
        `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.write(chunk({ role: 'assistant', content: '' }));
      for (const t of tokens) res.write(chunk({ content: t }));
      res.write(chunk({}, 'stop'));
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const body = JSON.stringify({ model: 'm', input: 'Hello', stream: true, store: false });

/** POSTs a streamed create on `agent`; `onHead` runs when the response head arrives. Resolves with the body. */
function streamCreate(url: string, agent: HttpAgent, onHead: () => void = () => {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/v1beta/interactions`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        onHead();
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve(text));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('a streamed create through the openai provider', () => {
  it('sends the model request before the response head (on a reused upstream connection)', async () => {
    const order: string[] = [];
    const upstream = await chatUpstream(['Hi', ' there'], () => order.push('model request'));
    const t = await startServer({ provider: 'openai', providerOptions: { baseUrl: upstream }, mcp: false });
    const agent = new HttpAgent({ keepAlive: true });
    cleanups.push(async () => agent.destroy());
    // The first create opens the upstream connection (its request waits for the connect); the second reuses it.
    await streamCreate(t.url, agent);
    order.length = 0;
    const text = await streamCreate(t.url, agent, () => order.push('response head'));
    expect(order).toEqual(['model request', 'response head']);
    expect(text).toContain('"text":" there"');
    expect(text).toMatch(/event: done\ndata: \[DONE\]\n\n$/);
  });

  it('writes whole chunks to the socket: the head with the first frames, no size line or CRLF alone', async () => {
    const upstream = await chatUpstream(['one', ' two', ' three']);
    const api = createInteractionsServer({
      host: '127.0.0.1',
      port: 0,
      dbPath: ':memory:',
      provider: 'openai',
      providerOptions: { baseUrl: upstream },
      mcp: false,
      shutdownGraceMs: 50,
    });
    await api.ready();
    const writes: string[] = [];
    const http = createServer(api.handler);
    // What each write(2)/writev(2) of a response socket carries: the stream methods the socket calls per write.
    http.on('connection', (socket: Socket) => {
      const s = socket as Socket & {
        _write(chunk: Buffer | string, enc: BufferEncoding, cb: () => void): void;
        _writev(chunks: { chunk: Buffer | string }[], cb: () => void): void;
      };
      const write = s._write.bind(s);
      const writev = s._writev.bind(s);
      s._write = (chunk, enc, cb) => {
        writes.push(String(chunk));
        write(chunk, enc, cb);
      };
      s._writev = (chunks, cb) => {
        writes.push(chunks.map((c) => String(c.chunk)).join(''));
        writev(chunks, cb);
      };
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await api.close();
    });
    const agent = new HttpAgent({ keepAlive: false });
    const text = await streamCreate(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, agent);
    expect(text).toContain('"text":" three"');
    expect(writes.length).toBeGreaterThan(0);
    const [first, ...rest] = writes;
    // The head never leaves alone: it carries the stream's first frames.
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*?\r\n\r\n[0-9a-f]+\r\nevent: interaction\.created\n/);
    const wholeChunks = /^([0-9a-f]+\r\n[\s\S]*?\r\n)+$/;
    for (const w of rest) expect(w).toMatch(wholeChunks);
    expect(writes.at(-1)).toMatch(/event: done\ndata: \[DONE\]\n\n\r\n0\r\n\r\n$/);
  });

  it('fails the stream when its row cannot be written, though the run had started', async () => {
    let modelRequests = 0;
    const upstream = await chatUpstream(['never shown'], () => modelRequests++);
    const dir = mkdtempSync(join(tmpdir(), 'interplay-gateway-'));
    const inner = SqliteStore.open({ path: join(dir, 'interplay.db') });
    cleanups.push(async () => {
      await inner.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const failures = { createInteraction: 1 };
    const t = await startServer({
      provider: 'openai',
      providerOptions: { baseUrl: upstream },
      mcp: false,
      store: failingStore(inner, failures),
    });
    const stored = JSON.stringify({ model: 'm', input: 'Hello', stream: true });
    const reply = await call(`${t.url}/v1beta/interactions`, { raw: stored });
    expect(reply.status).toBe(500);
    expect(reply.json.error).toEqual({ code: 'api_error', message: NOT_STORED_ERROR.message });
    expect(reply.text).not.toContain('never shown');
    expect(failures.createInteraction).toBe(0);
    // Nothing is left running, and the next create (its row written) streams the answer.
    expect(t.server.running).toBe(0);
    const next = await call(`${t.url}/v1beta/interactions`, { raw: stored });
    expect(next.status).toBe(200);
    expect(next.text).toContain('never shown');
    expect(modelRequests).toBeGreaterThanOrEqual(1);
  });
});
