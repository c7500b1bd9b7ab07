/**
 * Is an error a dead connection, and could the request have reached the server? The rule is protocol's
 * `mcpConnectionFailure` (the server's MCP sessions apply the same one), read with this package's SDK classes.
 */
import { type ConnectionFailure, mcpConnectionFailure } from '@interplay/protocol';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';

export const classifyFailure = (error: unknown): ConnectionFailure =>
  mcpConnectionFailure(error, { StreamableHTTPError, McpError });
