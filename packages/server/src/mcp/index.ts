/** Hosted MCP on the server: the `mcp_server` server tool and its request validation. */
export { isToolAllowed as isMcpToolAllowed } from './allowed-tools.ts';
export { type McpServerServerTool, type McpServerToolOptions, mcpServerTool } from './mcp-server-tool.ts';
export type { McpTarget, McpToolDescription } from './session-pool.ts';
export { UrlNotAllowedError } from './url-policy.ts';
export { validateMcpServerTool, validateMcpServerTools } from './validate.ts';
