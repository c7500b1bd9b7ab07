/** Options of `mcpServer()`: how to reach the server, and the one policy applied in both modes. */

/** Spawn a local server and talk to it over stdin/stdout. Client-side only: the API cannot reach it. */
export interface StdioTransportOptions {
  type: 'stdio';
  command: string;
  args?: readonly string[];
  /** Added to a small safe default environment (PATH, HOME, …), as the MCP SDK does. */
  env?: Record<string, string>;
  cwd?: string;
  /** The child's stderr: `pipe` (default; the tail is kept for error messages), `inherit` or `ignore`. */
  stderr?: 'pipe' | 'inherit' | 'ignore';
}

/** A Streamable HTTP server. Usable client-side, or hosted (the API connects to `url` itself). */
export interface HttpTransportOptions {
  type: 'http';
  url: string | URL;
  /** Sent with every request, e.g. `{ Authorization: 'Bearer …' }`. Forwarded as `headers` when hosted. */
  headers?: Record<string, string>;
}

export type McpTransportOptions = StdioTransportOptions | HttpTransportOptions;

/** What filters and approval predicates see of an MCP tool (its MCP name, not the function name). */
export interface McpToolInfo {
  /** The tool's name on the MCP server. */
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
    [key: string]: unknown;
  };
}

/** Tool names (MCP names), or a predicate over the tool. */
export type McpToolFilter = readonly string[] | ((tool: McpToolInfo) => boolean);

/** `true`, MCP tool names that need approval, or a predicate over the tool and the call's arguments. */
export type McpApproval =
  | boolean
  | readonly string[]
  | ((tool: McpToolInfo, args: Record<string, unknown>) => boolean | Promise<boolean>);

/** Where the server's tools run: the API connects (`hosted`), we connect (`client`), or decide (`auto`). */
export type McpMode = 'auto' | 'hosted' | 'client';

/**
 * The policy: the same object governs a server whether it is passed to the API as a hosted `mcp_server`
 * tool or bridged client-side as function tools.
 */
export interface McpPolicy {
  /** Only these tools (hosted: `allowed_tools`). */
  allowTools?: McpToolFilter;
  /** Never these tools, even if allowed. */
  denyTools?: McpToolFilter;
  /** Pause the run for a human decision before these calls. Hosted calls cannot pause, so `auto` bridges. */
  needsApproval?: McpApproval;
  /** Per-call limit in ms (client-side: MCP request timeout and the tool's abort signal). */
  timeoutMs?: number;
}

export interface McpServerOptions extends McpPolicy {
  /**
   * The server's name: `name` of the hosted `mcp_server` tool, and the label in errors. Letters, digits and
   * `_` only (the API rejects `-`).
   */
  name: string;
  transport: McpTransportOptions;
  /** Prepended to every function name client-side (`prefix_tool`), to keep servers' tools apart. */
  prefix?: string;
  /** Default `auto`; see `decideMcpModes`. */
  mode?: McpMode;
  /** Time allowed to connect and initialize, in ms. Default 15 000. */
  connectTimeoutMs?: number;
  /** How long a fetched tool list is trusted, in ms. Default: until `tools/list_changed` or a reconnect. */
  cacheTtlMs?: number;
  /** Reported when a tool is skipped or degraded (e.g. a schema Gemini cannot take). Default: ignored. */
  onWarning?: (message: string) => void;
}
