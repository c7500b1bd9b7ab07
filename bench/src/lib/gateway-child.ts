/**
 * Processes of the gateway benchmark (forked by gateway-processes.ts), by `config.kind`:
 * - `upstream`: a FAKE OpenAI-style Chat Completions server that streams `tokens` content chunks, one every
 *   `paceMs` (the first after `paceMs`), then a usage chunk and `[DONE]` — a model at a fixed pace;
 * - `interplay`: Interplay's server with the `openai` provider in front of that upstream (SQLite file store);
 * - `bare`: the least a Node gateway does for the same request (bare-gateway.ts), the floor of the figures.
 * Each reports its CPU time; the upstream counts the requests it served.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBareGateway } from './bare-gateway.ts';
import { childConfig, serveCalls } from './child.ts';

export interface GatewayChildConfig {
  kind: 'upstream' | 'interplay' | 'bare';
  tokens?: number;
  paceMs?: number;
  upstreamUrl?: string;
  dbPath?: string;
}

const config = childConfig<GatewayChildConfig>();
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

async function main(): Promise<void> {
  if (config.kind === 'upstream') {
    let requests = 0;
    const tokens = config.tokens ?? 16;
    const paceMs = config.paceMs ?? 5;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests++;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const base = '{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"bench"';
        let sent = 0;
        const timer = setInterval(() => {
          const delta = sent === 0 ? '{"role":"assistant","content":"tok0"}' : `{"content":" tok${sent}"}`;
          res.write(`data: ${base},"choices":[{"index":0,"delta":${delta},"finish_reason":null}]}\n\n`);
          sent++;
          if (sent === tokens) {
            clearInterval(timer);
            res.write(`data: ${base},"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`);
            res.write(
              `data: ${base},"choices":[],"usage":{"prompt_tokens":8,"completion_tokens":${tokens},"total_tokens":${8 + tokens}}}\n\n`,
            );
            res.end('data: [DONE]\n\n');
          }
        }, paceMs);
        res.on('close', () => clearInterval(timer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    serveCalls(
      { url: `http://127.0.0.1:${port}/v1` },
      {
        stats: () => ({ requests, cpuMicros: cpuMicros() }),
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      },
    );
    return;
  }
  if (config.kind === 'bare') {
    const bare = await startBareGateway(config.upstreamUrl ?? '');
    serveCalls({ url: bare.url }, { stats: () => ({ cpuMicros: cpuMicros() }), close: () => bare.close() });
    return;
  }
  const { createInteractionsServer } = (
    process.env.BENCH_SERVER_MODULE
      ? await import(process.env.BENCH_SERVER_MODULE)
      : await import('@interplay/server')
  ) as typeof import('@interplay/server');
  const server = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    dbPath: config.dbPath ?? ':memory:',
    provider: 'openai',
    providerOptions: { baseUrl: config.upstreamUrl },
    builtins: false,
    mcp: false,
    shutdownGraceMs: 200,
  });
  const { url } = await server.listen();
  serveCalls(
    { url },
    {
      stats: () => ({ cpuMicros: cpuMicros() }),
      close: () => server.close(),
    },
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
