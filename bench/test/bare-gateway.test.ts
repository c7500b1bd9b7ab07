/**
 * The bare gateway (the gateway benchmark's floor) streams each upstream content delta as a `step.delta`
 * frame, and a client that goes away aborts its upstream request, as Interplay's does. Real sockets: a local
 * Chat Completions-shaped upstream (`chat.completion.chunk` SSE `data:` lines,
 * https://platform.openai.com/docs/api-reference/chat-streaming) and `node:http` clients.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startBareGateway } from '../src/lib/bare-gateway.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

/** An upstream sending `tokens`, then ending (or, with `hang`, staying open); `closed` resolves when its client leaves. */
async function upstream(tokens: string[], hang: boolean): Promise<{ url: string; closed: Promise<void> }> {
  let onClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    onClosed = resolve;
  });
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const t of tokens) res.write(chunk(t));
      res.on('close', onClosed);
      if (!hang) res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, closed };
}

async function gateway(upstreamUrl: string): Promise<string> {
  const bare = await startBareGateway(upstreamUrl);
  closers.push(bare.close);
  return bare.url;
}

describe('the bare gateway', () => {
  it('writes a step.delta frame per content delta, then the terminator', async () => {
    const up = await upstream(['Hel', 'lo'], false);
    const url = await gateway(up.url);
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(`${url}/v1beta/interactions`, { method: 'POST' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'm', input: 'Hi', stream: true, store: false }));
    });
    expect(text).toBe(
      'event: step.delta\ndata: {"event_type":"step.delta","index":0,"delta":{"type":"text","text":"Hel"}}\n\n' +
        'event: step.delta\ndata: {"event_type":"step.delta","index":0,"delta":{"type":"text","text":"lo"}}\n\n' +
        'event: done\ndata: [DONE]\n\n',
    );
  });

  it('aborts the upstream request when its client goes away', async () => {
    const up = await upstream(['Hel'], true);
    const url = await gateway(up.url);
    const req = request(`${url}/v1beta/interactions`, { method: 'POST' }, (res) => {
      // The first frame came: the upstream is streaming. Hang up.
      res.once('data', () => req.destroy());
    });
    req.on('error', () => {});
    req.end(JSON.stringify({ model: 'm', input: 'Hi', stream: true, store: false }));
    await up.closed;
  });
});
