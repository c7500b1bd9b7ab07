/** `interplay serve` flags → server options. Pure (no I/O), so it is tested on its own. */
import { type Revision, revisionFromHeader } from '@interplay/protocol';
import {
  collectKeys,
  DEFAULT_RETENTION_MS,
  DEMO_SEARCH_CORPUS,
  type InteractionsServerOptions,
  parseDuration,
} from '@interplay/server';
import { parseCommandLine, UsageError } from './usage-error.ts';

export const SERVE_USAGE = `Usage: interplay serve [options]

Runs the self-hosted Gemini Interactions API (both schema revisions, SSE, background runs, Files API).

Options:
  --host HOST            Interface to bind (default 127.0.0.1). Non-loopback hosts require API keys.
  --port PORT            TCP port (default 8787; 0 picks a free one).
  --db FILE|:memory:|postgres://USER:PASS@HOST:PORT/DB
                         SQLite database (default .interplay/interplay.db), or a Postgres database that
                         several replicas share (see docs/deploy.md). Also INTERPLAY_DB.
  --lease-seconds N      Postgres: how long a replica's lease on a running interaction holds without renewal
                         (default 30); another replica takes a dead replica's runs over once they lapse.
  --durability LEVEL     SQLite: normal (default: a process crash loses nothing, a power loss may lose the
                         last commits) or full (every commit fsynced before it is acknowledged).
  --api-key KEY          Accepted API key; repeat for several. Also INTERPLAY_API_KEYS=k1,k2.
                         Without keys the server runs open (loopback only).
  --provider NAME        Model provider: scripted (default, offline), openai (any Chat Completions server),
                         gemini (Gemini API generateContent) or anthropic (Claude's Messages API).
  --script FILE          Script for the scripted provider (.json, .ts or .js).
  --provider-url URL     The upstream's base URL, e.g. http://127.0.0.1:11434/v1 (Ollama; required for
                         openai). gemini and anthropic default to their public APIs.
  --provider-model M     Send every request to upstream model M (default: the requested model id).
  --provider-key-env VAR The environment variable holding the upstream key (default OPENAI_API_KEY,
                         GEMINI_API_KEY or ANTHROPIC_API_KEY; unset means no key, as local servers need).
  --config FILE          Routing file (JSON): several providers, model-id globs → provider and upstream model,
                         the Deep Research model. Replaces --provider. See docs/server/own-model.md.
  --revision REV         Default schema revision when a request has no Api-Revision header:
                         steps (default) or legacy (or an Api-Revision date).
  --retention DURATION   How long interactions are kept, e.g. 55d, 12h, 30m (default 55d).
  --body-limit BYTES     Largest accepted request body (default 20971520).
  --grace DURATION       On SIGTERM, how long running turns may finish (default 5s).
  --turn-timeout DURATION  Fail a turn still running after this long with deadline_exceeded (default 60m).
  --public-url URL       Base URL for file URIs and upload URLs (default: from the Host header).
  --allow-host HOST      A private/loopback host url_context may fetch anyway; repeatable.
  --max-background N     Background runs executing at once; more wait as 'queued' (default: no limit).
                         With Postgres a queued run waits in the database for any replica's free slot.
  --webhook-allow-host HOST  A private/loopback host that may receive webhook deliveries; repeatable.
  --search-corpus FILE   JSONL corpus ({"url","title","text"} per line) for google_search.
  --code-workers N       Python sandbox workers shared by all keys (default 2); a key runs on at most N-1.
  --code-max-queued N    Python programs one key may have waiting (default 8); more fail with 429.
  --no-builtins          Leave out the built-in server tools (code_execution, url_context, google_search).
  --mcp-allow-private    Let hosted mcp_server tools reach loopback/private addresses (local development).
  --no-mcp               Leave out hosted MCP (mcp_server tools run by the server).
  --log-level LEVEL      fatal|error|warn|info|debug|trace|silent (default info). Logs go to stderr.
  -h, --help             Show this help.
`;

export interface ServeConfig {
  help: boolean;
  logLevel: string;
  server: InteractionsServerOptions;
}

export { UsageError } from './usage-error.ts';

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const SERVE_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  db: { type: 'string' },
  durability: { type: 'string' },
  'lease-seconds': { type: 'string' },
  'api-key': { type: 'string', multiple: true },
  provider: { type: 'string' },
  script: { type: 'string' },
  'provider-url': { type: 'string' },
  'provider-model': { type: 'string' },
  'provider-key-env': { type: 'string' },
  config: { type: 'string' },
  revision: { type: 'string' },
  retention: { type: 'string' },
  'body-limit': { type: 'string' },
  grace: { type: 'string' },
  'turn-timeout': { type: 'string' },
  'public-url': { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  'max-background': { type: 'string' },
  'webhook-allow-host': { type: 'string', multiple: true },
  'search-corpus': { type: 'string' },
  'code-workers': { type: 'string' },
  'code-max-queued': { type: 'string' },
  'no-builtins': { type: 'boolean' },
  'mcp-allow-private': { type: 'boolean' },
  'no-mcp': { type: 'boolean' },
  'log-level': { type: 'string' },
} as const;

type ServeValues = ReturnType<typeof parseCommandLine<typeof SERVE_OPTIONS, false>>['values'];

export function parseServeArgs(args: string[], env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const { values } = parseCommandLine(args, SERVE_OPTIONS, false);
  const port = Number(values.port ?? '8787');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got '${values.port}'`);
  }
  let defaultRevision: Revision = 'steps';
  if (values.revision !== undefined) {
    const r = revisionFromHeader(values.revision);
    if (
      !r ||
      !(
        values.revision === 'legacy' ||
        values.revision === 'steps' ||
        /^\d{4}-\d{2}-\d{2}$/.test(values.revision)
      )
    ) {
      throw new UsageError(
        `--revision must be legacy, steps or an Api-Revision date, got '${values.revision}'`,
      );
    }
    defaultRevision = r;
  }
  const duration = (flag: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    try {
      return parseDuration(text);
    } catch (err) {
      throw new UsageError(`--${flag}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  let bodyLimit: number | undefined;
  if (values['body-limit'] !== undefined) {
    bodyLimit = Number(values['body-limit']);
    if (!Number.isSafeInteger(bodyLimit) || bodyLimit <= 0) {
      throw new UsageError(`--body-limit must be a positive number of bytes, got '${values['body-limit']}'`);
    }
  }
  let maxBackgroundRuns: number | undefined;
  if (values['max-background'] !== undefined) {
    maxBackgroundRuns = Number(values['max-background']);
    if (!Number.isSafeInteger(maxBackgroundRuns) || maxBackgroundRuns <= 0) {
      throw new UsageError(`--max-background must be a positive integer, got '${values['max-background']}'`);
    }
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!LOG_LEVELS.has(logLevel))
    throw new UsageError(`--log-level must be one of ${[...LOG_LEVELS].join(', ')}`);
  const count = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new UsageError(`--${flag} must be a positive integer, got '${text}'`);
    return n;
  };
  const codeWorkers = count('code-workers', values['code-workers']);
  const codeMaxQueued = count('code-max-queued', values['code-max-queued']);
  const leaseSeconds = count('lease-seconds', values['lease-seconds']);
  const durability = values.durability ?? 'normal';
  if (durability !== 'normal' && durability !== 'full') {
    throw new UsageError(`--durability must be normal or full, got '${durability}'`);
  }
  const db = values.db ?? env.INTERPLAY_DB ?? '.interplay/interplay.db';
  const postgres = /^postgres(ql)?:\/\//i.test(db);
  if (postgres && values.durability !== undefined) {
    throw new UsageError('--durability applies to SQLite only; Postgres durability is its own settings');
  }
  if (!postgres && leaseSeconds !== undefined) {
    throw new UsageError('--lease-seconds applies to Postgres only (a SQLite store has one server process)');
  }
  const provider = values.provider ?? 'scripted';
  if (values.script !== undefined && provider !== 'scripted') {
    throw new UsageError('--script is only used with --provider scripted');
  }
  const providerOptions = upstreamOptions(values, provider);
  // The scripted (offline) model gets the bundled demo corpus unless one is named, so
  // `interplay run --agent deep-research-…` finds sources — and reads their pages — out of the box.
  const offline = provider === 'scripted' && values.config === undefined;
  const searchCorpusPath = values['search-corpus'] ?? (offline ? DEMO_SEARCH_CORPUS : undefined);
  const server: InteractionsServerOptions = {
    host: values.host ?? '127.0.0.1',
    port,
    ...(postgres ? { postgresUrl: db } : { dbPath: db, durability }),
    ...(leaseSeconds === undefined ? {} : { leaseMs: leaseSeconds * 1000 }),
    apiKeys: collectKeys(values['api-key'] ?? [], env.INTERPLAY_API_KEYS),
    defaultRevision,
    retentionMs: duration('retention', values.retention, DEFAULT_RETENTION_MS),
    shutdownGraceMs: duration('grace', values.grace, 5_000),
    turnTimeoutMs: duration('turn-timeout', values['turn-timeout'], 60 * 60_000),
    provider,
    ...(values.script === undefined ? {} : { script: values.script }),
    ...(providerOptions && { providerOptions }),
    ...(values.config === undefined ? {} : { routing: values.config }),
    ...(bodyLimit === undefined ? {} : { bodyLimit }),
    ...(values['public-url'] === undefined ? {} : { publicUrl: values['public-url'] }),
    builtins:
      values['no-builtins'] === true
        ? false
        : {
            ...(values['allow-host'] === undefined ? {} : { allowHosts: values['allow-host'] }),
            ...(codeWorkers === undefined && codeMaxQueued === undefined
              ? {}
              : {
                  code: {
                    ...(codeWorkers === undefined ? {} : { workers: codeWorkers }),
                    ...(codeMaxQueued === undefined ? {} : { maxQueuedPerKey: codeMaxQueued }),
                  },
                }),
            ...(searchCorpusPath === undefined ? {} : { searchCorpusPath }),
            // Offline, url_context answers the corpus's own URLs from the corpus (their hosts do not exist).
            ...(offline && searchCorpusPath !== undefined && { corpusPages: true }),
          },
    mcp: values['no-mcp'] === true ? false : { allowPrivateNetworks: values['mcp-allow-private'] === true },
    ...(maxBackgroundRuns === undefined ? {} : { maxBackgroundRuns }),
    ...(values['webhook-allow-host'] === undefined
      ? {}
      : { webhooks: { allowHosts: values['webhook-allow-host'] } }),
  };
  return { help: values.help === true, logLevel, server };
}

/** Providers in front of a model upstream, which take `--provider-url/-model/-key-env`. */
const UPSTREAM_PROVIDERS = new Set(['openai', 'gemini', 'anthropic']);

/** `--provider-url/-model/-key-env` → the upstream provider's options (checked when the provider is created). */
function upstreamOptions(values: ServeValues, provider: string): Record<string, unknown> | undefined {
  const url = values['provider-url'];
  const model = values['provider-model'];
  const keyEnv = values['provider-key-env'];
  if (values.config !== undefined) {
    if (values.provider !== undefined || url !== undefined || model !== undefined || keyEnv !== undefined)
      throw new UsageError('--config names the providers itself: leave out --provider and --provider-*');
    return undefined;
  }
  if (!UPSTREAM_PROVIDERS.has(provider)) {
    if (url !== undefined || model !== undefined || keyEnv !== undefined)
      throw new UsageError(
        '--provider-url, --provider-model and --provider-key-env need --provider openai, gemini or anthropic',
      );
    return undefined;
  }
  // gemini and anthropic default to their public APIs; an OpenAI-compatible server has no default address.
  if (url === undefined && provider === 'openai')
    throw new UsageError('--provider openai needs --provider-url URL (e.g. http://127.0.0.1:11434/v1)');
  if (url !== undefined && !/^https?:\/\/[^/]/.test(url))
    throw new UsageError(`--provider-url must be an http(s) URL, got '${url}'`);
  if (keyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv))
    throw new UsageError(`--provider-key-env must be an environment variable name, got '${keyEnv}'`);
  if (url === undefined && model === undefined && keyEnv === undefined) return undefined;
  return {
    ...(url === undefined ? {} : { baseUrl: url }),
    ...(model === undefined ? {} : { model }),
    ...(keyEnv === undefined ? {} : { apiKeyEnv: keyEnv }),
  };
}
