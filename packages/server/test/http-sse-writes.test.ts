/**
 * How the SSE writer's frames reach the socket: all frames written in one tick leave in one socket write (one
 * `writev` of their chunk headers, data and CRLFs), not one write per piece, also when promise continuations
 * write them; and every frame's bytes are its
 * UTF-8, whichever encoding the writer hands to node:http. A real node:http server over loopback; the
 * server-side socket's `_write`/`_writev` (the Writable hooks a write reaches) are counted.
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

/**
 * Counts the socket writes a response's socket makes from now on, and the pieces each hands down (a `writev`
 * hands several, each read back with its encoding).
 */
function countWrites(socket: Socket): { writes: number; pieces: number[] } {
  const count = { writes: 0, pieces: [] as number[] };
  const s = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
  for (const hook of ['_write', '_writev'] as const) {
    const original = s[hook].bind(socket);
    s[hook] = (...args: unknown[]) => {
      count.writes += 1;
      count.pieces.push(hook === '_write' ? 1 : (args[0] as unknown[]).length);
      return original(...args);
    };
  }
  return count;
}

/** Serves one response written by `write` and returns its body's bytes as the client received them. */
async function served(write: (writer: SseWriter) => Promise<void>): Promise<Buffer> {
  server = createServer((_req, res) => {
    const writer = new SseWriter(res, { keepAliveMs: 0 });
    void write(writer).then(() => writer.done());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return new Promise<Buffer>((resolve, reject) => {
    request({ host: '127.0.0.1', port, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/**
 * Serves one response whose frames `write` writes in one tick once the headers went out, then the terminator in
 * a later tick; returns the socket writes counted from the frames on, and the body the client received.
 */
async function countedWrites(
  write: (writer: SseWriter) => void | Promise<void>,
): Promise<{ writes: number; pieces: number[]; body: string }> {
  let counted: { writes: number; pieces: number[] } | undefined;
  const wrote = new Promise<void>((resolve) => {
    server = createServer((_req, res) => {
      const writer = new SseWriter(res, { keepAliveMs: 0 });
      // After the headers went out: only the frames are counted.
      setImmediate(() => {
        counted = countWrites(res.socket as Socket);
        void write(writer);
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
  return { writes: counted?.writes ?? 0, pieces: counted?.pieces ?? [], body };
}

/** Texts of every kind: ASCII words, JSON escapes, DEL, Latin-1 letters, other scripts, emoji, a lone half. */
const TEXTS = [
  'word',
  ' two words',
  'a"b',
  'c\\d',
  'tab\tnew\nline',
  '\u007f',
  'café',
  'ÿ',
  '中文',
  '🎉',
  '\ud800',
];

const textDelta = (text: string, seq: number) => ({
  event_type: 'step.delta',
  index: 0,
  delta: { type: 'text', text },
  event_id: `evt_${seq}`,
});

describe('SSE writes', () => {
  it('writes every text delta as the UTF-8 of its JSON, one per tick or many in one', async () => {
    const events = [...TEXTS, ...TEXTS].map((text, i) => textDelta(text, i + 1));
    const expected = Buffer.from(
      `${events.map((e) => `event: step.delta\ndata: ${JSON.stringify(e)}\n\n`).join('')}event: done\ndata: [DONE]\n\n`,
    );
    const oneTickEach = await served(async (writer) => {
      for (const e of events) {
        writer.event(e);
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    expect(oneTickEach).toEqual(expected);
    server?.closeAllConnections();
    server?.close();
    const allInOneTick = await served(async (writer) => {
      for (const e of events) writer.event(e);
    });
    expect(allInOneTick).toEqual(expected);
  });

  it('sends the frames written in one tick in one socket write', async () => {
    const { writes, pieces, body } = await countedWrites((writer) => {
      for (let i = 0; i < 5; i++) writer.event({ event_type: 'step.delta', index: 0, n: i } as never);
    });
    // The five frames in one write; the terminator and the end of the chunked body in the next tick's.
    expect(writes).toBeLessThanOrEqual(2);
    // … as one piece, the chunk framed whole (node:http would hand its size line, CRLFs and each frame apart).
    expect(pieces[0]).toBe(1);
    expect(body.split('\n\n').filter((f) => f.startsWith('event: step.delta'))).toHaveLength(5);
    expect(body.endsWith('event: done\ndata: [DONE]\n\n')).toBe(true);
  });

  it('sends the frames a chain of promise continuations writes in one tick in one socket write', async () => {
    // A replay (`for await` over the stored events) writes each frame from a continuation of the one before:
    // the tick's flush must come after the whole chain, not between two links of it.
    const { writes, body } = await countedWrites(async (writer) => {
      for (let i = 0; i < 5; i++) {
        await Promise.resolve();
        writer.event({ event_type: 'step.delta', index: 0, n: i } as never);
      }
    });
    expect(writes).toBeLessThanOrEqual(2);
    expect(body.split('\n\n').filter((f) => f.startsWith('event: step.delta'))).toHaveLength(5);
  });
});
