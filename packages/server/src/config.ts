/** Options of the Interactions server, their defaults, and parsing of durations like `55d`. */
import type { Revision } from '@interplay/protocol';
import type { Logger } from 'pino';
import type { DeepResearchOptions } from './agents/deep-research/agent.ts';
import type { BuiltinToolsOptions } from './builtins/builtin-tools.ts';
import type { Engine } from './engine/contract.ts';
import type { McpServerToolOptions } from './mcp/mcp-server-tool.ts';
import type { RoutingConfig } from './providers/routing/routing-config.ts';
import type { HistoryCacheOptions } from './runtime/history-cache.ts';
import type { Durability } from './store/sqlite-store.ts';
import type { Store } from './store/store.ts';
import type { ServerTool } from './tools/server-tool.ts';
import type { WebhookStore } from './webhooks/store.ts';
import type { WebhookOptions } from './webhooks/webhook-service.ts';

export interface InteractionsServerOptions {
  /** Interface to bind; default `127.0.0.1`. Non-loopback hosts require `apiKeys`. */
  host?: string;
  /** TCP port; default 8787, `0` picks a free one. */
  port?: number;
  /** A ready store (it is closed by `close()`); otherwise `postgresUrl` or `dbPath` is opened. */
  store?: Store;
  /** SQLite file or `:memory:` (default) when neither `store` nor `postgresUrl` is given. */
  dbPath?: string;
  /**
   * Keep interactions in Postgres instead of SQLite: `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (a
   * `schema` URL parameter picks the schema, default `public`). Several replicas may share one database
   * (docs/deploy.md). Ignored when `store` is given.
   */
  postgresUrl?: string;
  /**
   * Postgres: how long the lease on a running interaction holds without renewal (default 30 s). A replica
   * renews its leases every third of it; when one dies, another takes its runs over once they lapse.
   */
  leaseMs?: number;
  /**
   * Durability of the SQLite store opened from `dbPath` (default `normal`): `full` fsyncs every commit, so
   * an operating-system crash or power loss loses no acknowledged write. See docs/server/operations.md.
   */
  durability?: Durability;
  /** Accepted API keys. Empty: open mode (loopback only). */
  apiKeys?: readonly string[];
  /** Revision used when a request has no `Api-Revision` header; default `steps`. */
  defaultRevision?: Revision;
  /** How long stored interactions and their events are kept; default 55 days. */
  retentionMs?: number;
  /** How often expired rows are removed; default min(retention, 60 s). */
  expireIntervalMs?: number;
  /** The model behind the server. Default: the provider named by `provider` (default `scripted`). */
  engine?: Engine;
  /** Provider name from the registry (`scripted`, `gemini`, `openai`); ignored when `engine` is given. */
  provider?: string;
  /** Script file (or object) for the scripted provider. */
  script?: string | object;
  /**
   * Options of the provider named by `provider`, passed to its factory: for `openai`, `baseUrl`, `model`,
   * `apiKeyEnv`, … (see `OpenAIProviderOptions`).
   */
  providerOptions?: Record<string, unknown>;
  /**
   * Several providers at once: a routing file's path or its content (model-id globs → provider and upstream
   * model; the Deep Research model). Wins over `provider`. See docs/server/own-model.md.
   */
  routing?: string | RoutingConfig;
  /**
   * Built-in server-executed tools (`code_execution`, `url_context`, `google_search`) and their options;
   * `false` leaves them out. Ignored when `engine` is given.
   */
  builtins?: BuiltinToolsOptions | false;
  /**
   * Hosted MCP (`mcp_server` tools run by the server) and its options, e.g. `{ allowPrivateNetworks: true }`
   * for MCP servers on localhost; `false` leaves it out. Ignored when `engine` is given.
   */
  mcp?: McpServerToolOptions | false;
  /** More server-executed tools registered next to the built-ins. Ignored when `engine` is given. */
  serverTools?: readonly ServerTool[];
  /** pino logger; default: silent. Request bodies are never logged. */
  logger?: Logger;
  /** Largest accepted JSON body in bytes; default 20 MiB. */
  bodyLimit?: number;
  /** Largest uploaded file in bytes; default 100 MiB. */
  fileSizeLimit?: number;
  /** How long after upload a file turns from PROCESSING to ACTIVE; default 50 ms. */
  fileActivationMs?: number;
  /** How long uploaded files are kept; default 48 h (as the Gemini Files API). */
  fileRetentionMs?: number;
  /** Base URL used in file `uri`s and upload URLs; default: taken from the request's Host header. */
  publicUrl?: string;
  /** Idle time before a `: keep-alive` SSE comment; default 15 s, 0 disables. */
  keepAliveMs?: number;
  /** How long `close()` lets running turns finish before failing them; default 5 s. */
  shutdownGraceMs?: number;
  /** Longest a turn may run before it fails with `deadline_exceeded` (default 60 minutes). */
  turnTimeoutMs?: number;
  /**
   * The in-memory history of recently finished chains (so turn N of a chain does not re-read N-1 turns from
   * the store): its limits, or `false` to turn it off. Default 1,000 interactions / 250,000 items / ~64 MiB.
   */
  historyCache?: HistoryCacheOptions | false;
  /**
   * Webhooks (the `/{ver}/webhooks` resource and `webhook_config`): which private hosts may receive
   * deliveries (`allowHosts`, e.g. `['127.0.0.1']` for a local receiver), retries, the sender; `false` turns
   * them off. See docs/server/webhooks.md.
   */
  webhooks?: WebhookOptions | false;
  /**
   * The built-in Deep Research agent's model and budget (`budget.maxTotalTokens`: past it a turn ends
   * `budget_exceeded`). Ignored when `engine` or `routing` is given (routing has its own `deepResearch`).
   */
  deepResearch?: DeepResearchOptions;
  /**
   * Background runs executing at once in this process; a background create past the cap answers `queued` and
   * starts (`in_progress`) when a slot frees up. With Postgres the queued run waits in the database and the
   * first replica with a free slot claims it. Default: no limit.
   */
  maxBackgroundRuns?: number;
  /** Where webhooks are kept when `store` is neither the SQLite nor the Postgres store (which keep them themselves). */
  webhookStore?: WebhookStore;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  apiKeys: readonly string[];
  defaultRevision: Revision;
  retentionMs: number;
  expireIntervalMs: number;
  bodyLimit: number;
  fileSizeLimit: number;
  fileActivationMs: number;
  fileRetentionMs: number;
  publicUrl: string | undefined;
  keepAliveMs: number;
  shutdownGraceMs: number;
}

export const DAY_MS = 86_400_000;
export const DEFAULT_RETENTION_MS = 55 * DAY_MS;

export function resolveOptions(o: InteractionsServerOptions): ResolvedOptions {
  const retentionMs = positive(o.retentionMs, DEFAULT_RETENTION_MS, 'retentionMs');
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 8787,
    apiKeys: o.apiKeys ?? [],
    defaultRevision: o.defaultRevision ?? 'steps',
    retentionMs,
    expireIntervalMs: positive(o.expireIntervalMs, Math.min(retentionMs, 60_000), 'expireIntervalMs'),
    bodyLimit: positive(o.bodyLimit, 20 * 1024 * 1024, 'bodyLimit'),
    fileSizeLimit: positive(o.fileSizeLimit, 100 * 1024 * 1024, 'fileSizeLimit'),
    fileActivationMs: o.fileActivationMs ?? 50,
    fileRetentionMs: positive(o.fileRetentionMs, 2 * DAY_MS, 'fileRetentionMs'),
    publicUrl: o.publicUrl?.replace(/\/+$/, ''),
    keepAliveMs: o.keepAliveMs ?? 15_000,
    shutdownGraceMs: o.shutdownGraceMs ?? 5_000,
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number`);
  return value;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/**
 * `500ms`, `30s`, `15m`, `12h`, `55d`, `2w`, or combinations like `1d12h`. A bare number means seconds.
 * Throws on anything else.
 */
export function parseDuration(text: string): number {
  const s = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) throw new TypeError(`Invalid duration '${text}' (use e.g. 500ms, 30s, 15m, 12h, 55d)`);
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    pos = re.lastIndex;
  }
  if (s === '' || total <= 0) throw new TypeError(`Invalid duration '${text}' (must be positive)`);
  return total;
}
