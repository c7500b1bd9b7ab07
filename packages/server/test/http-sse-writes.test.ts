/**
 * How the SSE writer's frames reach the socket: all frames written in one tick leave in one socket write (one
 * `writev` of their chunk headers, data and CRLFs), not one write per piece. A real node:http server over
 * loopback; the server-side socket's `_write`/`_writev` (the Writable hooks a write reaches) are counted.
 */
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SseWriter } from '../src/http/sse-writer.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Counts the socket writes a response's socket makes from now on. */
function countWrites(socket: Socket): { writes: number } {
  const count = { writes: 0 };
  const s = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
  for (const hook of ['_write', '_writev'] as const) {
    const original = s[hook].bind(socket);
    s[hook] = (...args: unknown[]) => {
      count.writes += 1;
      return original(...args);
    };
  }
  return count;
}

describe('SSE writes', () => {
  it('sends the frames written in one tick in one socket write', async () => {
    let counted: { writes: number } | undefined;
    const wrote = new Promise<void>((resolve) => {
      server = createServer((_req, res) => {
        const writer = new SseWriter(res, { keepAliveMs: 0 });
        // After the headers went out: only the frames are counted.
        setImmediate(() => {
          counted = countWrites(res.socket as Socket);
          for (let i = 0; i < 5; i++) writer.event({ event_type: 'step.delta', index: 0, n: i } as never);
          setImmediate(() => {
            writer.done();
            resolve();
          });
        });
      });
    });
    server?.listen(0, '127.0.0.1');
    await once(server as Server, 'listening');
    const { port } = (server as Server).address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port, method: 'GET' }, (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    await wrote;
    // The five frames in one write; the terminator and the end of the chunked body in the next tick's.
    expect(counted?.writes).toBeLessThanOrEqual(2);
    expect(body.split('\n\n').filter((f) => f.startsWith('event: step.delta'))).toHaveLength(5);
    expect(body.endsWith('event: done\ndata: [DONE]\n\n')).toBe(true);
  });
});
