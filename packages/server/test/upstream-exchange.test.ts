/**
 * Reading an upstream's SSE with undici's dispatch handler (providers/shared/upstream-exchange.ts through
 * readUpstreamSse), against a local node:http upstream: items reach the reader while the body is still
 * open, a JSON answer to a streaming request is one event, and a reader that throws or stops closes the
 * upstream connection. (Retries, timeouts and status mapping: the provider conformance kit.)
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SseItem } from '@interplay/protocol';
import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PushStream } from '../src/providers/shared/push-stream.ts';
import { readUpstreamSse } from '../src/providers/shared/upstream-sse.ts';

let server: Server | undefined;
const dispatcher = new Agent();

afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});
afterAll(() => dispatcher.close());

async function upstream(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(req, res));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
}

const call = (url: string, signal = new AbortController().signal) => ({
  provider: 'test',
  url,
  headers: { 'content-type': 'application/json' },
  body: '{}',
  dispatcher,
  signal,
});

describe('readUpstreamSse', () => {
  it('pushes each item while the body is still open', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    const url = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      closed = once(res, 'close');
    });
    const items = new PushStream<SseItem>(new AbortController().signal);
    const read = readUpstreamSse(call(url), items);
    // The first item arrives though the upstream has not ended its body.
    expect(await items.next()).toEqual({ value: { kind: 'event', data: { n: 1 } }, done: false });
    await items.return();
    await read;
    await closed;
  });

  it('a JSON answer to a streaming request is one event', async () => {
    const url = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object":"chat.completion","choices":[]}');
    });
    const got: SseItem[] = [];
    await readUpstreamSse(call(url), { open: true, push: (item) => got.push(item), onStop: () => {} });
    expect(got).toEqual([{ kind: 'event', data: { object: 'chat.completion', choices: [] } }]);
  });

  it('a reader that throws: the read rejects with its error and the upstream connection closes', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    const url = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      closed = once(res, 'close');
    });
    const reader = {
      open: true,
      push: () => {
        throw new Error('the reader broke');
      },
      onStop: () => {},
    };
    await expect(readUpstreamSse(call(url), reader)).rejects.toThrow('the reader broke');
    await closed;
  });

  it('an abort rejects with its reason and closes the upstream connection', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    let answered!: () => void;
    const started = new Promise<void>((resolve) => {
      answered = resolve;
    });
    const url = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      closed = once(res, 'close');
    });
    const abort = new AbortController();
    const read = readUpstreamSse(call(url, abort.signal), {
      open: true,
      push: () => answered(),
      onStop: () => {},
    });
    await started;
    abort.abort(new Error('cancelled'));
    await expect(read).rejects.toThrow('cancelled');
    await closed;
  });
});
