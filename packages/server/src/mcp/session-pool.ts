/**
 * MCP sessions the server keeps open, one per (url, headers): interactions that use the same server share a
 * session and its tool list. The list is cached for `cacheTtlMs` and dropped on `tools/list_changed`; an idle
 * session is closed after `idleMs`. A session that died (server restarted) is replaced on the next request,
 * which is retried once when that is safe: a list always, a tool call when it certainly did not run or the
 * tool is annotated read-only/idempotent. One whose SSE stream broke is closed at once, and a stream the MCP
 * server ended on purpose is opened again (`MCP_STREAM_RECONNECTION`).
 */
import { createHash } from 'node:crypto';
import {
  type ConnectionFailure,
  isBrokenMcpStream,
  isRepeatableMcpTool,
  MCP_STREAM_RECONNECTION,
  type McpRepeatHints,
  mcpConnectionFailure,
} from '@interplay/protocol';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type Resolver, UnsafeAddressError } from '../net/guarded-agent.ts';
import { VERSION } from '../version.ts';
import type { McpCallResult } from './result.ts';
import { checkMcpUrl, mcpFetch } from './url-policy.ts';

/**
 * The MCP SDK (and what it pulls in: ajv, zod-to-json-schema, …, ~6 MB resident) is loaded with the first
 * session, not with the server: most servers never see an `mcp_server` tool.
 */
const loadSdk = (() => {
  let loading:
    | Promise<{
        Client: typeof Client;
        StreamableHTTPClientTransport: typeof StreamableHTTPClientTransport;
        ToolListChangedNotificationSchema: typeof import('@modelcontextprotocol/sdk/types.js').ToolListChangedNotificationSchema;
        classifyFailure: (error: unknown) => ConnectionFailure;
      }>
    | undefined;
  return () => {
    loading ??= Promise.all([
      import('@modelcontextprotocol/sdk/client/index.js'),
      import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
      import('@modelcontextprotocol/sdk/types.js'),
    ]).then(([client, http, types]) => {
      const sdkErrors = { StreamableHTTPError: http.StreamableHTTPError, McpError: types.McpError };
      return {
        Client: client.Client,
        StreamableHTTPClientTransport: http.StreamableHTTPClientTransport,
        ToolListChangedNotificationSchema: types.ToolListChangedNotificationSchema,
        // Whether a failed request may have run: the rule @interplay/mcp's client applies too.
        classifyFailure: (error: unknown) => mcpConnectionFailure(error, sdkErrors),
      };
    });
    return loading;
  };
})();

export interface McpTarget {
  url: string;
  headers: Record<string, string>;
}

/** A tool as the MCP server lists it. */
export interface McpToolDescription {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  /** The hints that make a call safe to repeat after a lost connection (the rest of MCP's annotations is not kept). */
  annotations?: McpRepeatHints;
}

/**
 * Whether a request that failed on a dead connection may be sent again on a new session: `true` (a list), or
 * asked only when the request may have run (a tool call: its annotations decide).
 */
type Repeatable = true | (() => Promise<boolean>);

export interface SessionPoolOptions {
  cacheTtlMs: number;
  idleMs: number;
  connectTimeoutMs: number;
  allowPrivateNetworks: boolean;
  /** DNS resolution for the address policy (tests inject names); `node:dns` by default. */
  resolve?: Resolver;
}

interface Entry {
  target: McpTarget;
  client?: Client;
  connecting?: Promise<Client>;
  tools?: { promise: Promise<McpToolDescription[]>; at: number };
  idle?: NodeJS.Timeout;
  /** Requests in flight: an entry is never closed for idleness while busy. */
  busy: number;
}

const CLIENT_INFO = { name: 'interplay-server', version: VERSION };

export class McpSessionPool {
  readonly #options: SessionPoolOptions;
  readonly #entries = new Map<string, Entry>();
  /** Every session's HTTP goes through it: the outbound address policy, or undefined when private is allowed. */
  readonly #fetch: ReturnType<typeof mcpFetch>;

  constructor(options: SessionPoolOptions) {
    this.#options = options;
    this.#fetch = mcpFetch(options.allowPrivateNetworks, options.resolve);
  }

  /** Open sessions (for tests and diagnostics). */
  get size(): number {
    return [...this.#entries.values()].filter((e) => e.client).length;
  }

  async listTools(target: McpTarget, signal?: AbortSignal): Promise<McpToolDescription[]> {
    const entry = this.#entry(target);
    const cached = entry.tools;
    if (cached && Date.now() - cached.at < this.#options.cacheTtlMs) return cached.promise;
    const fresh = { promise: this.#run(entry, (c) => listAll(c, signal), true), at: Date.now() };
    entry.tools = fresh;
    fresh.promise.catch(() => {
      if (entry.tools === fresh) entry.tools = undefined;
    });
    return fresh.promise;
  }

  async callTool(
    target: McpTarget,
    name: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; timeoutMs: number },
  ): Promise<McpCallResult> {
    const entry = this.#entry(target);
    const call = (client: Client) =>
      client.callTool({ name, arguments: args }, undefined, {
        signal: options.signal,
        timeout: options.timeoutMs,
      }) as Promise<McpCallResult>;
    // Read from the list of the new session the retry would run on (a restarted server may have changed).
    const repeatable = async () =>
      isRepeatableMcpTool(
        (await this.listTools(target, options.signal)).find((t) => t.name === name)?.annotations,
      );
    return this.#run(entry, call, repeatable);
  }

  async close(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((e) => this.#closeEntry(e)));
    await this.#fetch?.close();
  }

  #entry(target: McpTarget): Entry {
    const key = keyOf(target);
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { target, busy: 0 };
      this.#entries.set(key, entry);
    }
    this.#touch(key, entry);
    return entry;
  }

  /** Closes the session after `idleMs` without use; the timer never keeps the process alive. */
  #touch(key: string, entry: Entry): void {
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = setTimeout(() => {
      if (entry.busy > 0) return this.#touch(key, entry);
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      void this.#closeEntry(entry);
    }, this.#options.idleMs);
    entry.idle.unref();
  }

  async #run<T>(entry: Entry, request: (client: Client) => Promise<T>, repeatable: Repeatable): Promise<T> {
    entry.busy += 1;
    try {
      return await this.#attempt(entry, request, repeatable);
    } finally {
      entry.busy -= 1;
    }
  }

  async #attempt<T>(
    entry: Entry,
    request: (client: Client) => Promise<T>,
    repeatable: Repeatable,
  ): Promise<T> {
    const client = await this.#client(entry);
    try {
      return await request(client);
    } catch (error) {
      const { classifyFailure } = await loadSdk(); // loaded: a client exists
      const failure = classifyFailure(error);
      if (!failure) throw error;
      this.#drop(entry, client);
      if (failure !== 'not_delivered' && !(await mayRepeat(repeatable)))
        throw new Error(`the connection was lost during the call (it may have run): ${describe(error)}`);
    }
    return request(await this.#client(entry));
  }

  #client(entry: Entry): Promise<Client> {
    if (entry.client) return Promise.resolve(entry.client);
    entry.connecting ??= this.#connect(entry).finally(() => {
      entry.connecting = undefined;
    });
    return entry.connecting;
  }

  async #connect(entry: Entry): Promise<Client> {
    const { allowPrivateNetworks, connectTimeoutMs } = this.#options;
    const url = checkMcpUrl(entry.target.url, allowPrivateNetworks);
    const { Client, StreamableHTTPClientTransport, ToolListChangedNotificationSchema } = await loadSdk();
    const fetch = this.#fetch;
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { ...entry.target.headers } },
      ...(fetch ? { fetch } : {}),
      reconnectionOptions: MCP_STREAM_RECONNECTION,
    });
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      entry.tools = undefined;
    });
    // Failures surface through the requests that hit them, except a broken stream: closing the session fails
    // the requests waiting on it now, as "Connection closed" (maybe delivered: a tool call is not retried).
    client.onerror = (error) => {
      if (isBrokenMcpStream(error)) this.#drop(entry, client);
    };
    client.onclose = () => this.#drop(entry, client);
    try {
      await client.connect(transport, { timeout: connectTimeoutMs });
    } catch (error) {
      await client.close().catch(() => {});
      throw new Error(`could not connect: ${describe(error)}`, { cause: error });
    }
    entry.client = client;
    return client;
  }

  #drop(entry: Entry, client: Client): void {
    if (entry.client !== client) return;
    entry.client = undefined;
    entry.tools = undefined; // a restarted server may serve another list
    void client.close().catch(() => {});
  }

  async #closeEntry(entry: Entry): Promise<void> {
    if (entry.idle) clearTimeout(entry.idle);
    const client = entry.client ?? (await entry.connecting?.catch(() => undefined));
    entry.client = undefined;
    if (!client) return;
    // DELETE the session so the MCP server frees it now rather than at its own timeout.
    const transport = client.transport as StreamableHTTPClientTransport | undefined;
    const wait = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
    if (transport?.sessionId) await Promise.race([transport.terminateSession().catch(() => {}), wait]);
    await client.close().catch(() => {});
  }
}

async function listAll(client: Client, signal: AbortSignal | undefined): Promise<McpToolDescription[]> {
  const tools: McpToolDescription[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, signal ? { signal } : {});
    for (const t of page.tools) {
      const tool: McpToolDescription = {
        name: t.name,
        inputSchema: t.inputSchema as Record<string, unknown>,
      };
      const description = t.description ?? t.title;
      if (description !== undefined) tool.description = description;
      const { readOnlyHint, idempotentHint } = t.annotations ?? {};
      if (readOnlyHint !== undefined || idempotentHint !== undefined)
        tool.annotations = { readOnlyHint, idempotentHint };
      tools.push(tool);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

/** A tool whose hints cannot be read (the list failed too) is not repeated. */
async function mayRepeat(repeatable: Repeatable): Promise<boolean> {
  return repeatable === true || (await repeatable().catch(() => false));
}

/** Sessions are keyed by url and a digest of the headers (which may hold secrets, so not kept as a key). */
function keyOf({ url, headers }: McpTarget): string {
  const sorted = Object.entries(headers)
    .map(([k, v]) => [k.toLowerCase(), v])
    .sort(([a], [b]) => (a as string).localeCompare(b as string));
  return `${url}\n${createHash('sha256').update(JSON.stringify(sorted)).digest('hex')}`;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici wraps a refused connection in "fetch failed": say what the address policy refused.
  for (let e: unknown = error; e instanceof Error; e = e.cause)
    if (e instanceof UnsafeAddressError) return `refused: ${e.message}`;
  const cause = (error as { cause?: unknown }).cause;
  const code =
    typeof (cause as { code?: unknown })?.code === 'string' ? ` (${(cause as { code: string }).code})` : '';
  return `${error.message}${code}`;
}
