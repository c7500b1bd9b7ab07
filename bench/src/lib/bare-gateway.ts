/**
 * The least a Node gateway does for the gateway benchmark's request (its floor): `node:http` reads the
 * Interactions create body, sends a Chat Completions request upstream on a keep-alive undici Agent, and writes
 * a `step.delta` SSE frame for every content delta the upstream streams (decoded with the same SSE decoder as
 * Interplay), then `[DONE]`; a client that goes away aborts the upstream request. No validation, no run, no
 * event log: what any Node process doing this job pays for the sockets, the HTTP parsing and one JSON parse
 * and stringify per token.
 *
 * The upstream's body is taken in undici's dispatch handler, as each chunk leaves the HTTP parser: reading it
 * through `undici.request`'s Readable (`for await` over the body) costs a stream, an async iterator and a
 * promise per chunk, ~17% more CPU per request here (see docs/decisions-performance.md, "the bare gateway").
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SseDecoder } from '@interplay/protocol';
import { Agent, type Dispatcher } from 'undici';

export async function startBareGateway(
  upstreamUrl: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  const upstream = new URL(`${upstreamUrl}/chat/completions`);
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      let body: { model: string; input: string };
      try {
        body = JSON.parse(raw) as { model: string; input: string };
      } catch (err) {
        res.destroy(err as Error);
        return;
      }
      const decoder = new SseDecoder();
      let controller: Dispatcher.DispatchController | undefined;
      res.once('close', () => {
        if (!res.writableFinished) controller?.abort(new Error('the client went away'));
      });
      dispatcher.dispatch(
        {
          origin: upstream.origin,
          path: upstream.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: body.model,
            messages: [{ role: 'user', content: body.input }],
            stream: true,
            stream_options: { include_usage: true },
          }),
        },
        {
          onRequestStart(c) {
            controller = c;
          },
          onResponseStart() {
            res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          },
          onResponseData(_c, chunk) {
            for (const item of decoder.push(chunk)) {
              if (item.kind !== 'event') continue;
              const choices = item.data.choices as { delta?: { content?: string } }[] | undefined;
              const text = choices?.[0]?.delta?.content;
              if (!text) continue;
              const event = { event_type: 'step.delta', index: 0, delta: { type: 'text', text } };
              res.write(`event: step.delta\ndata: ${JSON.stringify(event)}\n\n`);
            }
          },
          onResponseEnd() {
            res.end('event: done\ndata: [DONE]\n\n');
          },
          onResponseError(_c, err) {
            res.destroy(err);
          },
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await dispatcher.close();
    },
  };
}
