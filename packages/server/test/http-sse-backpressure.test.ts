/**
 * SSE backpressure: replaying a long log to a slow reader waits for `drain` many times; every wait must take
 * its listeners with it (no MaxListenersExceededWarning; listener counts on the socket and the response stay
 * flat).
 */
import { mkdtempSync } from 'node:fs';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, closeAll, events, manyWords, sleep, startServer, textScript } from './helpers/server.ts';

afterAll(closeAll);

const WORDS = 30_000;

describe('SSE replay to a slow reader', () => {
  it('leaves no listeners behind on the response and triggers no MaxListenersExceededWarning', async () => {
    const t = await startServer({ script: textScript(manyWords(WORDS)) });
    // The create stores its log: 30,000 deltas to replay.
    const created = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'long', stream: true },
    });
    expect(created.status).toBe(200);
    const id: string = events(created.text)[0].interaction.id;

    // The server's own handler behind a second listener, so the test can watch the socket the stream's chunks
    // are written to: at each `drain` it emits, how many `close`/`error`/`drain` listeners do it and the
    // response carry?
    const atDrain: Record<string, number>[] = [];
    const front: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const socket = res.socket as Socket;
      socket.on('drain', () => {
        const counts: Record<string, number> = {};
        for (const event of ['close', 'error', 'drain']) {
          counts[`socket.${event}`] = socket.listenerCount(event);
          counts[`response.${event}`] = res.listenerCount(event);
        }
        atDrain.push(counts);
      });
      t.server.handler(req, res);
    });
    // Over a Unix socket: its kernel buffers (a few hundred KB) fill up long before the replay's 3.5 MB is
    // written, where loopback TCP's (several MB) would take it all and the writer would never wait.
    const socketPath = join(mkdtempSync(join(tmpdir(), 'sse-backpressure-')), 'front.sock');
    await new Promise<void>((resolve) => front.listen(socketPath, resolve));

    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = get({ socketPath, path: `/v1beta/interactions/${id}?stream=true` }, (res) => {
          res.setEncoding('utf8');
          const chunks: string[] = [];
          res.on('data', (chunk: string) => chunks.push(chunk));
          res.on('end', () => resolve(chunks.join('')));
          res.on('error', reject);
          // A slow reader: nothing at first (the socket buffers fill up), then a little at a time.
          res.pause();
          void (async () => {
            await sleep(50);
            while (!res.complete) {
              res.resume();
              await sleep(0);
              res.pause();
              await sleep(1);
            }
            res.resume();
          })();
        });
        req.on('error', reject);
      });
      // process.emitWarning delivers on the next tick: one turn of the event loop lets any through.
      await new Promise((resolve) => setImmediate(resolve));
      expect(body.endsWith('event: done\ndata: [DONE]\n\n')).toBe(true);
      expect(body.split('event: step.delta\n').length - 1).toBe(WORDS);
    } finally {
      process.off('warning', onWarning);
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
    // The replay really waited for the socket many times (more than the default 10 listeners) …
    expect(atDrain.length).toBeGreaterThan(15);
    // … and every wait found the response as the first one did: nothing piles up from one wait to the next.
    const first = atDrain[0];
    for (const seen of atDrain) expect(seen).toEqual(first);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
