/**
 * The least a Node gateway does for the gateway benchmark's request (its floor): `node:http` reads the
 * Interactions create body, sends a Chat Completions request upstream on a keep-alive undici Agent, and writes
 * a `step.delta` SSE frame for every content delta the upstream streams (decoded with the same SSE decoder as
 * Interplay), then `[DONE]`. No validation, no run, no event log: what any Node process doing this job pays
 * for the sockets, the HTTP parsing and one JSON parse and stringify per token.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SseDecoder } from '@interplay/protocol';
import { Agent, request } from 'undici';

export async function startBareGateway(
  upstreamUrl: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  const url = `${upstreamUrl}/chat/completions`;
  const server = createServer(async (req, res) => {
    try {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const body = JSON.parse(raw) as { model: string; input: string };
      const upstream = await request(url, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: body.model,
          messages: [{ role: 'user', content: body.input }],
          stream: true,
          stream_options: { include_usage: true },
        }),
      });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const decoder = new SseDecoder();
      for await (const chunk of upstream.body as AsyncIterable<Uint8Array>) {
        for (const item of decoder.push(chunk)) {
          if (item.kind !== 'event') continue;
          const choices = item.data.choices as { delta?: { content?: string } }[] | undefined;
          const text = choices?.[0]?.delta?.content;
          if (!text) continue;
          const event = { event_type: 'step.delta', index: 0, delta: { type: 'text', text } };
          res.write(`event: step.delta\ndata: ${JSON.stringify(event)}\n\n`);
        }
      }
      res.end('event: done\ndata: [DONE]\n\n');
    } catch (err) {
      res.destroy(err as Error);
    }
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
