/**
 * A server process for the benchmarks (forked by servers.ts): either Interplay's server with the bench
 * script on a SQLite file, or a bare `node:http` server answering every request with a fixed JSON body — the
 * physical limit of one Node process on this machine. Counts the requests it gets; for Interplay it also
 * reports the store's statement count and walks stored chains (what each POST carried), so the harness can
 * prove that a scenario did what it claims.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InteractionRecord, Store } from '@interplay/server';
import { childConfig, memorySample, serveCalls } from './child.ts';
import { benchScript } from './scripts.ts';
import {
  type ChainLink,
  type ServerChildConfig,
  type ServerCounters,
  type ServerStats,
  TAG_HEADER,
} from './server-types.ts';

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

const config = childConfig<ServerChildConfig>();
// Children run with --no-warnings: warnings are collected and reported by the scenario instead.
const warnings: string[] = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));
const counters: ServerCounters = { requests: 0, posts: 0, postsByTag: {} };

function count(req: IncomingMessage): void {
  counters.requests++;
  if (req.method !== 'POST') return;
  counters.posts++;
  const tag = req.headers[TAG_HEADER];
  if (typeof tag === 'string') counters.postsByTag[tag] = (counters.postsByTag[tag] ?? 0) + 1;
}

async function main(): Promise<void> {
  if (config.kind === 'bare') {
    const body = Buffer.from(config.bareBody ?? '{"ok":true}');
    await serveBasic((req, res) => {
      req.resume();
      req.on('end', () => sendJson(res, body));
    });
    return;
  }
  if (config.kind === 'floor') {
    await serveFloor(config);
    return;
  }
  if (config.kind === 'sse') {
    await serveSse(config);
    return;
  }

  // Loaded only here, so the bare server starts as fast as plain node:http. BENCH_SERVER_MODULE=PATH loads
  // another copy of the server package's entry instead (to measure a change on a scratch copy).
  const { createInteractionsServer, SqliteStore, PostgresStore } = (
    process.env.BENCH_SERVER_MODULE
      ? await import(process.env.BENCH_SERVER_MODULE)
      : await import('@interplay/server')
  ) as typeof import('@interplay/server');
  const store = config.postgresUrl
    ? await PostgresStore.open({ url: config.postgresUrl })
    : SqliteStore.open({
        path: config.dbPath ?? ':memory:',
        ...(config.durability ? { durability: config.durability } : {}),
      });
  // Postgres does not count its statements.
  const statements = () => ('stats' in store ? store.stats.statements : 0);
  const server = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    store,
    script: benchScript(config.delayMs ?? 0),
    shutdownGraceMs: 200,
    // BENCH_HISTORY_CACHE='{"maxEntries":20000}': the history cache's limits (to see what a larger one buys).
    ...(process.env.BENCH_HISTORY_CACHE ? { historyCache: JSON.parse(process.env.BENCH_HISTORY_CACHE) } : {}),
    ...(config.noHistoryCache ? { historyCache: false } : {}),
  });
  await server.ready();
  // The server's own request listener, behind a counter (what `listen()` would bind, plus the count).
  const http = createServer((req, res) => {
    count(req);
    server.handler(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  serveCalls(
    { url: `http://127.0.0.1:${port}` },
    {
      /** `settle`: wait a moment first, so writes a turn makes after its response are counted with it. */
      stats: async ({
        settle = 0,
        gc = false,
      }: {
        settle?: number;
        gc?: boolean;
      } = {}): Promise<ServerStats> => {
        if (settle > 0) await new Promise((r) => setTimeout(r, settle));
        return {
          ...counters,
          statements: statements(),
          running: server.running,
          memory: memorySample(gc),
          cpuMicros: cpuMicros(),
          warnings,
        };
      },
      chain: ({ id }: { id: string }) => storedChain(store, id),
      close: async () => {
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        await server.close();
        await store.close();
      },
    },
  );
}

/** The chain ending at `id`, oldest first, as `store` holds it. */
async function storedChain(store: Store, id: string): Promise<ChainLink[]> {
  const links: ChainLink[] = [];
  let next: string | undefined = id;
  while (next) {
    const record: InteractionRecord | undefined = await store.getInteraction(next, null);
    if (!record) break;
    const input = record.request.input;
    links.push({
      id: record.id,
      status: record.status,
      previousId: record.previousId,
      input: Array.isArray(input) ? input.map((item) => String((item as { type?: unknown }).type)) : [],
      output: record.output.map((item) => item.type),
    });
    next = record.previousId;
  }
  return links.reverse();
}

function sendJson(res: ServerResponse, body: Buffer | string): void {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** A plain node:http server behind the request counter, with the stats/close calls every server child has. */
async function serveBasic(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  {
    onClose = async () => {},
    statements = () => 0,
    chain = async () => [],
  }: {
    onClose?: () => Promise<void>;
    statements?: () => number;
    /** The stored chain ending at an id (servers without a store have none). */
    chain?: (id: string) => Promise<ChainLink[]>;
  } = {},
): Promise<void> {
  const http = createServer((req, res) => {
    count(req);
    handle(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  serveCalls(
    { url: `http://127.0.0.1:${port}` },
    {
      stats: (): ServerStats => ({
        ...counters,
        statements: statements(),
        running: 0,
        memory: memorySample(),
        cpuMicros: cpuMicros(),
        warnings,
      }),
      chain: ({ id }: { id: string }) => chain(id),
      close: async () => {
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        await onClose();
      },
    },
  );
}

/**
 * The floor (see ServerChildConfig): read and parse the body, store it as one finished interaction (one
 * `SqliteStore.createInteraction`, the write every create of Interplay's server starts with), then answer the
 * sample response with the new id. No validation, no model, no events: what is left is the cost of keeping it.
 */
async function serveFloor(config: ServerChildConfig): Promise<void> {
  const { SqliteStore, PostgresStore, newInteractionId } = await import('@interplay/server');
  const store = config.postgresUrl
    ? await PostgresStore.open({ url: config.postgresUrl })
    : SqliteStore.open({
        path: config.dbPath ?? ':memory:',
        ...(config.durability ? { durability: config.durability } : {}),
      });
  const sample = JSON.parse(config.bareBody ?? '{}') as Record<string, unknown> & { outputs?: unknown };
  await serveBasic(
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          model?: string;
          previous_interaction_id?: string;
        };
        const now = Date.now();
        const stamp = new Date(now).toISOString();
        // Interplay's own ids: their order decides which index pages each commit writes.
        const id = newInteractionId(now);
        const answer = { ...sample, id, created: stamp, updated: stamp };
        await store.createInteraction({
          id,
          owner: null,
          status: 'completed',
          created: stamp,
          updated: stamp,
          request: request as never,
          output: [{ type: 'model_output', content: [{ type: 'text', text: 'The answer.' }] }],
          usage: { total_input_tokens: 1, total_output_tokens: 2, total_tokens: 3 },
          background: false,
          expiresAt: now + 86_400_000,
          ...(request.model === undefined ? {} : { model: request.model }),
          ...(request.previous_interaction_id === undefined
            ? {}
            : { previousId: request.previous_interaction_id }),
        });
        sendJson(res, JSON.stringify(answer));
      });
    },
    {
      onClose: () => store.close(),
      statements: () => ('stats' in store ? store.stats.statements : 0),
      chain: (id) => storedChain(store, id),
    },
  );
}

/** The bare streaming server (see ServerChildConfig `sse`): the same events at the same pace, nothing else. */
async function serveSse(config: ServerChildConfig): Promise<void> {
  const sse = JSON.parse(readFileSync(config.sseEventsFile as string, 'utf8')) as string[];
  const events = sse.map((e) => ({
    bytes: Buffer.from(e),
    paced: e.startsWith(`event: ${config.pacedEvent}\n`),
  }));
  const pause = config.paceMs ?? 0;
  await serveBasic((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of events) {
        if (res.destroyed) return;
        if (!res.write(event.bytes)) await once(res, 'drain');
        if (event.paced && pause > 0) await sleep(pause);
      }
      res.end();
    });
  });
}

main().catch((err: unknown) => {
  console.error('bench server child failed:', err);
  process.exit(1);
});
