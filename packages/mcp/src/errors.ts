/**
 * Errors of @interplay/mcp. They extend core's `InterplayError`, so they carry a stable `code` like every
 * other framework error.
 */
import { InterplayError } from '@interplay/core';

/** A server or option cannot be used as configured (bad name, a mode the transport cannot do, …). */
export class McpConfigError extends InterplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('mcp_config_invalid', message, options);
  }
}

/** The MCP server could not be reached, or the connection died and could not be re-established. */
export class McpConnectionError extends InterplayError {
  readonly server: string;
  constructor(server: string, message: string, options?: { cause?: unknown }) {
    super('mcp_connection_failed', message, options);
    this.server = server;
  }
}

/**
 * The MCP tool answered `isError: true`. Thrown from a bridged tool's `execute` so the run loop sends an
 * `is_error` function_result; `result` is the tool's own error content (see `mcpToolErrors`).
 */
export class McpToolError extends InterplayError {
  readonly server: string;
  readonly toolName: string;
  /** The error content, mapped like a normal result (text, or text and images). */
  readonly result: unknown;
  constructor(server: string, toolName: string, message: string, result: unknown) {
    super('mcp_tool_error', message);
    this.server = server;
    this.toolName = toolName;
    this.result = result;
  }
}

/** Two attached servers expose tools under the same function name. */
export class McpDuplicateToolError extends InterplayError {
  readonly toolName: string;
  readonly servers: readonly string[];
  constructor(toolName: string, servers: readonly string[]) {
    super(
      'mcp_duplicate_tool',
      `Tool name "${toolName}" is exposed by MCP servers ${servers.map((s) => `"${s}"`).join(' and ')}. ` +
        'Give one of them a `prefix` (e.g. prefix: "' +
        `${servers[1] ?? servers[0]}") or filter the tool out with \`denyTools\`.`,
    );
    this.toolName = toolName;
    this.servers = servers;
  }
}
