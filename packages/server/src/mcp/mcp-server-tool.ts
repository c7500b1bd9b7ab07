/**
 * The server-executed `mcp_server` tool: for a model's `mcp_server_tool_call`, the server connects to the
 * declared Streamable HTTP url (with the declared `headers`), runs the tool and records an
 * `mcp_server_tool_result`. Failures are results with `is_error: true` (unreachable server, a tool outside
 * `allowed_tools`, a refused address), never a failed turn.
 */
import type { Item, McpServerTool, Tool } from '@interplay/protocol';
import type { Resolver } from '../net/guarded-agent.ts';
import type { ServerTool, ServerToolContext } from '../tools/server-tool.ts';
import { isToolAllowed } from './allowed-tools.ts';
import { toResultFields } from './result.ts';
import { McpSessionPool, type McpTarget, type McpToolDescription } from './session-pool.ts';
import { validateMcpServerTool } from './validate.ts';

export interface McpServerToolOptions {
  /**
   * Connect to loopback and private addresses (`127.0.0.1`, `10.x`, `localhost`, …). Default false: a request
   * could otherwise make the server reach its own network (SSRF). Turn on for local development and tests.
   */
  allowPrivateNetworks?: boolean;
  /** How long a server's tool list is reused, in ms (dropped earlier on `tools/list_changed`). Default 60 000. */
  cacheTtlMs?: number;
  /** An unused session is closed after this many ms. Default 60 000. */
  idleMs?: number;
  /** Time to connect and initialize, in ms. Default 10 000. */
  connectTimeoutMs?: number;
  /** MCP request timeout per call, in ms (the engine's `toolTimeoutMs` applies too). Default 300 000. */
  callTimeoutMs?: number;
  /** DNS resolution the address policy vets at connect time (default `node:dns`); tests inject names here. */
  resolve?: Resolver;
}

export interface McpServerServerTool extends ServerTool {
  /**
   * The tools a declaration offers (its server's list, filtered by `allowed_tools`), for providers that must
   * describe them to the model (e.g. as function declarations). Cached per url and headers.
   */
  listTools(declaration: McpServerTool, signal?: AbortSignal): Promise<McpToolDescription[]>;
  /** Request-time check of `tools[index]` (400 `invalid_request` naming the field). */
  validateDeclaration(declaration: Tool, index: number): void;
  /** Close every open MCP session (call on server shutdown). */
  close(): Promise<void>;
}

const targetOf = (declaration: McpServerTool): McpTarget => ({
  url: String(declaration.url ?? ''),
  headers: { ...(declaration.headers ?? {}) },
});

/**
 * Create the `mcp_server` server tool.
 *
 * @example
 * const engine = createEngine({
 *   providers: [provider],
 *   tools: createServerToolRegistry([mcpServerTool({ allowPrivateNetworks: true })]),
 * });
 */
export function mcpServerTool(options: McpServerToolOptions = {}): McpServerServerTool {
  const pool = new McpSessionPool({
    cacheTtlMs: options.cacheTtlMs ?? 60_000,
    idleMs: options.idleMs ?? 60_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    allowPrivateNetworks: options.allowPrivateNetworks ?? false,
    ...(options.resolve && { resolve: options.resolve }),
  });
  const callTimeoutMs = options.callTimeoutMs ?? 300_000;

  async function execute(call: Item, { declaration, signal }: ServerToolContext): Promise<Item> {
    const decl = declaration as McpServerTool;
    const name = typeof call.name === 'string' ? call.name : '';
    const serverName = typeof call.server_name === 'string' ? call.server_name : String(decl.name ?? '');
    const base = {
      type: 'mcp_server_tool_result',
      call_id: String(call.id ?? ''),
      name,
      server_name: serverName,
    };
    const fail = (message: string): Item => ({ ...base, result: message, is_error: true }) as Item;
    if (!isToolAllowed(decl, name))
      return fail(`Tool '${name}' is not in allowed_tools of MCP server '${serverName}'.`);
    const args = isObject(call.arguments) ? call.arguments : {};
    try {
      const result = await pool.callTool(targetOf(decl), name, args, { signal, timeoutMs: callTimeoutMs });
      return { ...base, ...toResultFields(result) } as Item;
    } catch (error) {
      if (signal.aborted) throw error; // cancelled or timed out: the engine writes that result
      const reason = error instanceof Error ? error.message : String(error);
      return fail(`MCP server '${serverName}' (${decl.url}): ${reason}`);
    }
  }

  return {
    toolType: 'mcp_server',
    callType: 'mcp_server_tool_call',
    execute,
    async listTools(declaration, signal) {
      const tools = await pool.listTools(targetOf(declaration), signal);
      return tools.filter((t) => isToolAllowed(declaration, t.name));
    },
    validateDeclaration: validateMcpServerTool,
    close: () => pool.close(),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
