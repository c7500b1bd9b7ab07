/**
 * `mcpServer()`: attach one MCP server. The handle lists its tools (cached), bridges them into core function
 * tools, calls them with reconnect-once and per-call timeouts, and describes the server as a hosted
 * `mcp_server` tool — all under one policy.
 */
import type { AnyTool, ToolContext } from '@interplay/core';
import type { McpServerTool } from '@interplay/protocol';
import {
  isRepeatableMcpTool,
  type MappedResult,
  type McpCallResult,
  mapCallResult,
} from '@interplay/protocol';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpConnection, type RetryRule } from './connection.ts';
import { McpConfigError, McpToolError } from './errors.ts';
import { bridgeTool } from './function-tool.ts';
import { hostedDeclaration } from './hosted.ts';
import { mapToolNames, type NameMap } from './names.ts';
import type { HttpTransportOptions, McpServerOptions, McpToolInfo } from './options.ts';
import { isToolAllowed, staticAllowList } from './policy.ts';
import { ToolListCache } from './tool-list.ts';

const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
/** As the run loop's default tool limit: MCP's own default (60 s) would cut long tools short. */
const DEFAULT_CALL_TIMEOUT_MS = 300_000;

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the policy's `timeoutMs` for this call. */
  timeoutMs?: number;
}

interface Bridged {
  list: McpToolInfo[];
  names: NameMap;
  tools: AnyTool[];
}

export class McpServerHandle implements AsyncDisposable {
  readonly name: string;
  readonly options: Readonly<McpServerOptions>;
  readonly #connection: McpConnection;
  readonly #list: ToolListCache;
  #bridged: Bridged | undefined;

  constructor(options: McpServerOptions) {
    validateOptions(options);
    this.name = options.name;
    this.options = options;
    this.#connection = new McpConnection({
      server: options.name,
      transport: options.transport,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      onToolsChanged: () => this.invalidate(),
    });
    this.#list = new ToolListCache(() => this.#fetchTools(), options.cacheTtlMs);
  }

  /** `stdio` or `http`. */
  get transportType(): 'stdio' | 'http' {
    return this.options.transport.type;
  }

  /** Whether a session is open now. */
  get connected(): boolean {
    return this.#connection.connected;
  }

  /** The stdio child's pid while connected. */
  get pid(): number | undefined {
    return this.#connection.pid;
  }

  /** Sessions opened so far; more than 1 means it reconnected. */
  get sessions(): number {
    return this.#connection.sessions;
  }

  /** Connect now instead of on first use (fails fast on a bad command or URL). */
  async connect(): Promise<void> {
    await this.#connection.connect();
  }

  /** Forget the cached tool list (done automatically on `tools/list_changed` and on reconnect). */
  invalidate(): void {
    this.#list.invalidate();
  }

  /** The server's tools that the policy allows, from the cache when fresh. */
  async listTools(): Promise<McpToolInfo[]> {
    return (await this.#list.get()).filter((t) => isToolAllowed(this.options, t));
  }

  /**
   * The allowed tools as core function tools (prefixed, names made Gemini-safe), for a `Runner`.
   *
   * @example
   * const tools = await fsServer.tools();
   * const runner = new Runner({ client, model: 'gemini-3-flash-preview', tools });
   */
  async tools(): Promise<AnyTool[]> {
    const list = await this.#list.get();
    if (this.#bridged?.list === list) return this.#bridged.tools;
    const allowed = list.filter((t) => isToolAllowed(this.options, t));
    const names = mapToolNames(
      allowed.map((t) => t.name),
      this.options.prefix,
    );
    const tools = allowed.map((info) =>
      bridgeTool({
        server: this.name,
        functionName: names.toFunction.get(info.name) ?? info.name,
        info,
        timeoutMs: this.options.timeoutMs,
        needsApproval: this.options.needsApproval,
        call: (args, ctx: ToolContext) => this.#callForModel(info, args, ctx),
        onWarning: (message) => this.options.onWarning?.(message),
      }),
    );
    this.#bridged = { list, names, tools };
    return tools;
  }

  /** The MCP tool name behind a bridged function name (after `tools()`). */
  mcpToolName(functionName: string): string | undefined {
    return this.#bridged?.names.toMcp.get(functionName);
  }

  /** The function name a bridged MCP tool is offered under (after `tools()`). */
  functionName(mcpToolName: string): string | undefined {
    return this.#bridged?.names.toFunction.get(mcpToolName);
  }

  /**
   * Call a tool by its MCP name. Resolves with the mapped result, `isError` included (it does not throw on
   * a tool error). Retried once on a fresh session when the old one died before the call was delivered
   * (or at any point for read-only/idempotent tools).
   */
  async callTool(
    name: string,
    args: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<MappedResult> {
    // Hints from the last list we have; a call never waits for a list just to read them.
    const hints = this.#bridged?.list.find((t) => t.name === name)?.annotations;
    const retry: RetryRule = isRepeatableMcpTool(hints) ? 'always' : 'if_not_delivered';
    const timeout = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const result = await this.#connection.run(
      (client) =>
        client.callTool({ name, arguments: args }, undefined, {
          timeout,
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      retry,
    );
    return mapCallResult(result as McpCallResult);
  }

  /**
   * This server as a hosted `mcp_server` tool for the API (HTTP servers only). The policy's filter becomes
   * `allowed_tools`; a predicate or deny list lists the server's tools first to name them.
   *
   * @example
   * const weather = mcpServer({ name: 'weather_service', transport: { type: 'http', url } , allowTools: ['get_weather'] });
   * await weather.hostedTool(); // { type: 'mcp_server', name: 'weather_service', url, allowed_tools: [{ tools: ['get_weather'] }] }
   */
  async hostedTool(): Promise<McpServerTool> {
    const { transport } = this.options;
    if (transport.type !== 'http')
      throw new McpConfigError(`MCP server "${this.name}" uses stdio and cannot be hosted.`);
    const filtered = this.options.allowTools !== undefined || this.options.denyTools !== undefined;
    const listed = filtered && !staticAllowList(this.options) ? await this.#list.get() : undefined;
    return hostedDeclaration({ ...this.options, transport: transport as HttpTransportOptions }, listed);
  }

  /** Close the session; a stdio child is ended (stdin closed, then SIGTERM, then SIGKILL) and reaped. */
  async close(): Promise<void> {
    await this.#connection.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #callForModel(info: McpToolInfo, args: Record<string, unknown>, ctx: ToolContext): Promise<unknown> {
    const mapped = await this.callTool(info.name, args, { signal: ctx.signal });
    if (mapped.isError)
      throw new McpToolError(
        this.name,
        info.name,
        mapped.text || 'The tool reported an error.',
        mapped.value,
      );
    return mapped.value;
  }

  async #fetchTools(): Promise<McpToolInfo[]> {
    return this.#connection.run((client) => listAll(client), 'always');
  }
}

async function listAll(client: Client): Promise<McpToolInfo[]> {
  const tools: McpToolInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor });
    for (const t of page.tools) {
      const info: McpToolInfo = { name: t.name, inputSchema: t.inputSchema as Record<string, unknown> };
      const description = t.description ?? t.title;
      if (description !== undefined) info.description = description;
      if (t.annotations) info.annotations = t.annotations;
      tools.push(info);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

function validateOptions(options: McpServerOptions): void {
  if (typeof options.name !== 'string' || options.name.trim() === '')
    throw new McpConfigError('mcpServer: `name` is required.');
  const t = options.transport as { type?: unknown } | undefined;
  if (!t || (t.type !== 'stdio' && t.type !== 'http'))
    throw new McpConfigError(`MCP server "${options.name}": transport.type must be "stdio" or "http".`);
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0))
    throw new McpConfigError(`MCP server "${options.name}": timeoutMs must be > 0.`);
  if (options.mode === 'hosted' && t.type === 'stdio')
    throw new McpConfigError(`MCP server "${options.name}" uses stdio and cannot be hosted.`);
}

/**
 * Attach an MCP server (connects lazily, on first use or `connect()`).
 *
 * @example
 * const fs = mcpServer({
 *   name: 'files',
 *   transport: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '.'] },
 *   denyTools: ['write_file'],
 *   prefix: 'fs',
 *   timeoutMs: 10_000,
 * });
 * try {
 *   const runner = new Runner({ client, model: 'gemini-3-flash-preview', tools: await fs.tools() });
 *   console.log((await runner.run('List the markdown files')).text);
 * } finally {
 *   await fs.close();
 * }
 */
export function mcpServer(options: McpServerOptions): McpServerHandle {
  return new McpServerHandle(options);
}
