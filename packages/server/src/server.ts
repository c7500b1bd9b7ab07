/**
 * `createInteractionsServer`: the self-hosted Interactions API on node:http.
 *
 * @example
 * ```ts
 * import { createInteractionsServer } from '@interplay/server';
 *
 * const server = createInteractionsServer({ port: 0, dbPath: ':memory:' });
 * const { url } = await server.listen(); // e.g. http://127.0.0.1:53121
 * // POST `${url}/v1beta/interactions` …
 * await server.close();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { MemoryAgentStore } from './agents/custom/agent-store.ts';
import { createAgentRegistry } from './agents/registry.ts';
import { isLoopbackHost, KeyRing } from './auth/keys.ts';
import { type BuiltinTools, builtinTools } from './builtins/builtin-tools.ts';
import { type InteractionsServerOptions, type ResolvedOptions, resolveOptions } from './config.ts';
import type { Engine } from './engine/contract.ts';
import { createEngine } from './engine/engine.ts';
import { UploadSessions } from './files/upload.ts';
import type { Services } from './http/context.ts';
import { createRequestHandler } from './http/handler.ts';
import { type McpServerServerTool, mcpServerTool } from './mcp/mcp-server-tool.ts';
import type { Provider } from './providers/provider.ts';
import { createProviderRegistry } from './providers/registry.ts';
import { buildRouting, loadRoutingConfig, parseRoutingConfig } from './providers/routing/routing-config.ts';
import { recoverUnfinished } from './runtime/recovery.ts';
import { InteractionService } from './service/interaction-service.ts';
import { PostgresStore } from './store/postgres-store.ts';
import { isReplicaStore } from './store/replica-store.ts';
import { SqliteStore } from './store/sqlite-store.ts';
import type { InteractionRecord, Store } from './store/store.ts';
import { createServerToolRegistry } from './tools/registry.ts';
import type { ServerTool } from './tools/server-tool.ts';
import { claimCovering } from './webhooks/postgres-webhook-store.ts';
import { SqliteWebhookStore } from './webhooks/sqlite-webhook-store.ts';
import { WebhookService } from './webhooks/webhook-service.ts';

export interface ListenResult {
  /** `http://HOST:PORT` with the real port (when `port: 0` was asked). */
  url: string;
  host: string;
  port: number;
}

export interface InteractionsServer {
  /** Opens the store, recovers interrupted runs, binds. Rejects on open mode + non-loopback host. */
  listen(): Promise<ListenResult>;
  /**
   * Graceful stop: refuse new connections, let running turns finish for `shutdownGraceMs`, then fail the rest
   * ("server shut down"), end open streams, close the store (if this server opened it).
   */
  close(): Promise<void>;
  /** The bound URL once listening. */
  readonly url: string | undefined;
  readonly options: Readonly<ResolvedOptions>;
  /** The store once `listen()` (or `ready()`) has run. */
  readonly store: Store | undefined;
  /** Prepare without binding (store, engine, recovery) — for mounting `handler` in another server. */
  ready(): Promise<void>;
  /** The request listener, usable in your own `http.Server` after `ready()`. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Interactions currently running in this process. */
  readonly running: number;
  /** The webhooks resource and its delivery queue once ready (absent when turned off). */
  readonly webhooks: WebhookService | undefined;
}

export function createInteractionsServer(input: InteractionsServerOptions = {}): InteractionsServer {
  const options = resolveOptions(input);
  const logger: Logger = input.logger ?? pino({ level: 'silent' });
  const keys = new KeyRing(options.apiKeys);
  const ownsStore = input.store === undefined;
  const httpServer: Server = createServer();

  let services: Services | undefined;
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let preparing: Promise<void> | undefined;
  let expireTimer: NodeJS.Timeout | undefined;
  let builtins: BuiltinTools | undefined;
  let mcp: McpServerServerTool | undefined;
  let providers: readonly Provider[] = [];
  let url: string | undefined;
  let closing: Promise<void> | undefined;
  /** Requests answered 503 since shutdown began (refused, or their run failed by it): one summary line. */
  let answered503 = 0;
  const count503 = function (this: ServerResponse): void {
    if (this.statusCode === 503) answered503++;
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (!handle) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'service_unavailable', message: 'The server is starting.' } }));
      return;
    }
    // A client resetting the connection must not become an unhandled 'error' event.
    req.on('error', ignore);
    res.on('error', ignore);
    if (closing) res.once('finish', count503);
    handle(req, res);
  };
  httpServer.on('request', handler);
  httpServer.on('clientError', (err, socket) => {
    // Malformed HTTP: answer 400 if the socket can still take it.
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
    logger.debug({ err }, 'client error');
  });

  async function prepare(): Promise<void> {
    const store = input.store ?? (await openStore(input, logger));
    try {
      let engine = input.engine;
      if (!engine) {
        if (input.builtins !== false) builtins = builtinTools(input.builtins ?? {});
        if (input.mcp !== false) mcp = mcpServerTool(input.mcp ?? {});
        ({ engine, providers } = await defaultEngine(input, [
          ...(builtins?.tools ?? []),
          ...(mcp ? [mcp] : []),
          ...(input.serverTools ?? []),
        ]));
      }
      const webhooks = openWebhooks(
        input,
        store,
        logger,
        () => url ?? `http://${options.host}:${options.port}`,
      );
      const onEnded = webhooks && ((record: InteractionRecord) => webhooks.interactionEnded(record));
      const interactions = new InteractionService({
        store,
        engine,
        logger,
        ...(onEnded && { onEnded }),
        ...(input.maxBackgroundRuns === undefined ? {} : { maxBackgroundRuns: input.maxBackgroundRuns }),
        retentionMs: options.retentionMs,
        fileActivationMs: options.fileActivationMs,
        ...(input.historyCache === undefined ? {} : { historyCache: input.historyCache }),
        ...(input.turnTimeoutMs === undefined ? {} : { turnTimeoutMs: input.turnTimeoutMs }),
      });
      // One process owns a SQLite store: what it left unfinished can only be failed. Replicas sharing a
      // store claim the runs of replicas that stopped instead (replicas/coordinator.ts).
      if (isReplicaStore(store)) await interactions.start();
      else await recoverUnfinished(store, logger, options.retentionMs, onEnded);
      webhooks?.start();
      services = {
        store,
        agents: store.agents ?? new MemoryAgentStore(),
        interactions,
        uploads: store instanceof PostgresStore ? store.uploadSessions() : new UploadSessions(),
        options,
        logger,
        activations: new Set(),
        ...(webhooks && { webhooks }),
      };
      handle = createRequestHandler(services, keys);
      expireTimer = setInterval(() => {
        store
          .expire(Date.now())
          .then((n) => {
            if (n > 0) logger.debug({ removed: n }, 'expired interactions removed');
          })
          .catch((err: unknown) => logger.warn({ err }, 'retention sweep failed'));
      }, options.expireIntervalMs);
      expireTimer.unref();
    } catch (err) {
      await builtins?.close().catch(() => {});
      await mcp?.close().catch(() => {});
      await closeProviders(providers, logger);
      if (ownsStore) await store.close().catch(() => {});
      throw err;
    }
  }

  function ready(): Promise<void> {
    preparing ??= prepare();
    return preparing;
  }

  async function listen(): Promise<ListenResult> {
    if (keys.open && !isLoopbackHost(options.host)) {
      throw new Error(
        `Refusing to listen on ${options.host} without API keys: anyone who can reach it could use it. ` +
          'Configure keys (--api-key KEY or INTERPLAY_API_KEYS) or bind to a loopback address such as 127.0.0.1.',
      );
    }
    await ready();
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      httpServer.once('error', onError);
      httpServer.listen(options.port, options.host, () => {
        httpServer.off('error', onError);
        resolve();
      });
    });
    const address = httpServer.address() as AddressInfo;
    // The host as configured (what the user typed), with the real port.
    const host =
      options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
    url = `http://${host}:${address.port}`;
    logger.info({ url, open: keys.open }, 'listening');
    return { url, host: options.host, port: address.port };
  }

  /**
   * Until `deadline`, close each connection as soon as its response has ended (a connection between requests
   * is idle). Node tracks the connections, so no request needs a listener of its own for this.
   */
  async function drainConnections(deadline: number): Promise<void> {
    for (;;) {
      httpServer.closeIdleConnections();
      const open = await new Promise<number>((resolve) => httpServer.getConnections((_, n) => resolve(n)));
      if (open === 0 || Date.now() >= deadline) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async function shutdown(): Promise<void> {
    if (expireTimer) clearInterval(expireTimer);
    const stopped = httpServer.listening
      ? new Promise<void>((resolve) => httpServer.close(() => resolve()))
      : Promise.resolve();
    httpServer.closeIdleConnections();
    if (services) {
      await services.interactions.shutdown(options.shutdownGraceMs);
      // Streams of the failed runs are ending now; give in-flight responses a moment to flush.
      await drainConnections(Date.now() + 1_000);
      for (const timer of services.activations) clearTimeout(timer);
      services.activations.clear();
      services.uploads.clear();
      await services.webhooks
        ?.close()
        .catch((err: unknown) => logger.warn({ err }, 'could not stop the webhook deliveries'));
    }
    httpServer.closeAllConnections();
    await stopped;
    if (preparing) await preparing.catch(() => {});
    await builtins
      ?.close()
      .catch((err: unknown) => logger.warn({ err }, 'could not stop the built-in tools'));
    await closeProviders(providers, logger);
    if (services && ownsStore) await services.store.close();
    handle = undefined;
    if (answered503 > 0)
      logger.warn({ count: answered503, status: 503 }, 'requests answered 503 while shutting down');
    logger.info('closed');
  }

  return {
    listen,
    ready,
    close: () => {
      closing ??= shutdown();
      return closing;
    },
    handler,
    options,
    get url() {
      return url;
    },
    get store() {
      return services?.store;
    },
    get running() {
      return services?.interactions.running ?? 0;
    },
    get webhooks() {
      return services?.webhooks;
    },
  };
}

function ignore(): void {}

/** The store the options name, with where it is (and, for SQLite, its durability) logged once. */
async function openStore(input: InteractionsServerOptions, logger: Logger): Promise<Store> {
  if (input.postgresUrl === undefined) return openSqlite(input, logger);
  const store = await PostgresStore.open({
    url: input.postgresUrl,
    ...(input.leaseMs === undefined ? {} : { leaseMs: input.leaseMs }),
  });
  logger.info(
    { store: 'postgres', ...store.describe(), replica: store.replicaId, leaseMs: store.leaseMs },
    'store opened',
  );
  return store;
}

function openSqlite(input: InteractionsServerOptions, logger: Logger): SqliteStore {
  const store = SqliteStore.open({
    path: input.dbPath ?? ':memory:',
    ...(input.durability === undefined ? {} : { durability: input.durability }),
  });
  logger.info({ store: 'sqlite', path: store.path, ...store.settings() }, 'store opened');
  return store;
}

/** Webhooks keep their tables in the SQLite or Postgres store; another store brings its own `webhookStore` (or none). */
function openWebhooks(
  input: InteractionsServerOptions,
  store: Store,
  logger: Logger,
  issuer: () => string,
): WebhookService | undefined {
  if (input.webhooks === false) return undefined;
  const webhookStore =
    input.webhookStore ??
    (store instanceof SqliteStore
      ? new SqliteWebhookStore(store.sql)
      : store instanceof PostgresStore
        ? store.webhookStore({ claimMs: claimCovering(input.webhooks?.retry?.attemptTimeoutMs) })
        : undefined);
  if (!webhookStore) return undefined;
  return new WebhookService({ ...input.webhooks, store: webhookStore, logger, issuer });
}

/** Providers that fetch media URIs for an upstream, under the server's host allow-list. */
const UPSTREAM_PROVIDERS: ReadonlySet<string> = new Set(['openai', 'gemini', 'anthropic']);

/** The engine on the configured provider (or routing), and the providers it created (closed on shutdown). */
async function defaultEngine(
  input: InteractionsServerOptions,
  tools: ServerTool[],
): Promise<{ engine: Engine; providers: Provider[] }> {
  const registry = createProviderRegistry();
  const toolRegistry = createServerToolRegistry(tools);
  // Media URIs an upstream cannot fetch are fetched by this server, under the same host allow-list as url_context.
  const allowHosts = input.builtins ? input.builtins.allowHosts : undefined;
  const defaults = (type: string) =>
    UPSTREAM_PROVIDERS.has(type) && allowHosts ? { allowHosts: [...allowHosts] } : {};
  if (input.routing !== undefined) {
    const config =
      typeof input.routing === 'string'
        ? loadRoutingConfig(input.routing)
        : parseRoutingConfig(input.routing);
    const routing = await buildRouting(config, registry, defaults);
    const agents = routing.deepResearch
      ? createAgentRegistry({ deepResearch: routing.deepResearch })
      : undefined;
    const engine = createEngine({
      providers: routing.providers,
      tools: toolRegistry,
      ...(agents && { agents }),
    });
    return { engine, providers: routing.instances };
  }
  const name = input.provider ?? 'scripted';
  const provider = await registry.create(name, {
    ...defaults(name),
    ...input.providerOptions,
    ...(input.script === undefined ? {} : { script: input.script }),
  });
  const agents = input.deepResearch ? createAgentRegistry({ deepResearch: input.deepResearch }) : undefined;
  return {
    engine: createEngine({ providers: [provider], tools: toolRegistry, ...(agents && { agents }) }),
    providers: [provider],
  };
}

async function closeProviders(providers: readonly Provider[], logger: Logger): Promise<void> {
  await Promise.all(
    providers.map((p) =>
      p
        .close?.()
        .catch((err: unknown) => logger.warn({ err, provider: p.name }, 'could not close a provider')),
    ),
  );
}
