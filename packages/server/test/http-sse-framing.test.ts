/**
 * The SSE writer frames a chunked response's body itself, writing each tick's frames to the socket as one
 * chunk; a response it cannot frame so — HTTP/1.0 (no chunked encoding), HEAD (no body), one waiting behind a
 * pipelined request on the same connection (no socket yet) — goes through node:http. Every case must carry
 * the same frames, in order, and leave the connection in a state the client can read to its end. A real
 * node:http server; the client is a raw TCP socket, so the bytes on the wire are checked as they are.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SseWriter } from '../src/http/sse-writer.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const FRAMES = 4;
const delta = (path: string, i: number) => ({
  event_type: 'step.delta',
  index: 0,
  delta: { type: 'text', text: `${path} ${i} é` },
  event_id: `evt_${i}`,
});
/** The body an SSE response to `path` carries: its frames, then the terminator. */
const expectedBody = (path: string) =>
  `${Array.from({ length: FRAMES }, (_, i) => `event: step.delta\ndata: ${JSON.stringify(delta(path, i))}\n\n`).join('')}` +
  'event: done\ndata: [DONE]\n\n';

/**
 * A server whose responses write their frames a tick apart, `/slow`'s 20 ms apart (so a request pipelined
 * behind it is answered while it still streams). `requests` is sent as it is on one connection; resolves with
 * everything the server sent until it closed the connection.
 */
async function exchange(requests: string): Promise<string> {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const writer = new SseWriter(res, { keepAliveMs: 0 });
    void (async () => {
      for (let i = 0; i < FRAMES; i++) {
        writer.event(delta(path, i));
        await new Promise((resolve) => (path === '/slow' ? setTimeout(resolve, 20) : setImmediate(resolve)));
      }
      writer.done();
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('latin1');
  let received = '';
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  socket.write(requests);
  await once(socket, 'end');
  return Buffer.from(received, 'latin1').toString('utf8');
}

/** Splits what a connection received into responses: their heads and bodies (de-chunked when chunked). */
function responses(wire: string): { head: string; body: string }[] {
  const out: { head: string; body: string }[] = [];
  let rest = Buffer.from(wire);
  while (rest.length > 0) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const head = rest.subarray(0, headEnd).toString();
    rest = rest.subarray(headEnd + 4);
    if (!/transfer-encoding: chunked/i.test(head)) {
      out.push({ head, body: rest.toString() });
      break;
    }
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      const size = Number.parseInt(rest.subarray(0, lineEnd).toString(), 16);
      rest = rest.subarray(lineEnd + 2);
      if (size === 0) {
        rest = rest.subarray(2);
        break;
      }
      parts.push(rest.subarray(0, size));
      expect(rest.subarray(size, size + 2).toString()).toBe('\r\n');
      rest = rest.subarray(size + 2);
    }
    out.push({ head, body: Buffer.concat(parts).toString() });
  }
  return out;
}

describe('SSE framing by transport', () => {
  it('frames a chunked response itself: the body de-chunks to every frame, in order', async () => {
    const [only, ...more] = responses(
      await exchange('GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    );
    expect(more).toEqual([]);
    expect(only?.head).toMatch(/transfer-encoding: chunked/i);
    expect(only?.body).toBe(expectedBody('/a'));
  });

  it('writes an HTTP/1.0 response, which has no chunked encoding, through node:http', async () => {
    const [only, ...more] = responses(await exchange('GET /old HTTP/1.0\r\n\r\n'));
    expect(more).toEqual([]);
    expect(only?.head).not.toMatch(/transfer-encoding/i);
    expect(only?.body).toBe(expectedBody('/old'));
  });

  it('sends no body to a HEAD request', async () => {
    const wire = await exchange('HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(wire.startsWith('HTTP/1.1 200')).toBe(true);
    expect(wire.endsWith('\r\n\r\n')).toBe(true);
    expect(wire).not.toContain('event:');
  });

  it('answers a request pipelined behind a stream after the stream, each body whole', async () => {
    const wire = await exchange(
      'GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const [first, second, ...more] = responses(wire);
    expect(more).toEqual([]);
    expect(first?.body).toBe(expectedBody('/slow'));
    expect(second?.body).toBe(expectedBody('/next'));
  });
  it('drops what is written once the client is gone, without an error', async () => {
    const afterClose: { wrote: boolean; closed: boolean }[] = [];
    const errors: unknown[] = [];
    server = createServer((_req, res) => {
      const writer = new SseWriter(res, { keepAliveMs: 0 });
      res.socket?.on('error', (error) => errors.push(error));
      const timer = setInterval(() => writer.event(delta('/gone', 0)), 2);
      res.on('close', () => {
        // In the tick the client went, and in the next: neither written nor thrown.
        afterClose.push({ wrote: writer.event(delta('/gone', 1)), closed: writer.closed });
        setImmediate(() => {
          clearInterval(timer);
          afterClose.push({ wrote: writer.event(delta('/gone', 2)), closed: writer.closed });
          writer.done();
        });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    socket.write('GET /gone HTTP/1.1\r\nHost: x\r\n\r\n');
    await once(socket, 'data');
    socket.destroy();
    await expect.poll(() => afterClose.length).toBe(2);
    expect(afterClose).toEqual([
      { wrote: false, closed: true },
      { wrote: false, closed: true },
    ]);
    expect(errors).toEqual([]);
  });
});
