/**
 * @interplay/mcp — attach MCP servers to a run: client-side (stdio, Streamable HTTP) as function tools, or
 * passed to the API as hosted `mcp_server` tools, under one policy (filter, approval, timeout).
 *
 * @example
 * import { mcpServer, resolveMcpTools } from '@interplay/mcp';
 * const weather = mcpServer({ name: 'weather_service', transport: { type: 'http', url: 'http://127.0.0.1:3001/mcp' } });
 * const { tools } = await resolveMcpTools([weather], { model: 'gemini-2.5-flash' });
 * const runner = new Runner({ client, model: 'gemini-2.5-flash', tools });
 *
 * @module @interplay/mcp
 */

export { type MappedResult, type McpCallResult, mapCallResult } from '@interplay/protocol';
export { McpConfigError, McpConnectionError, McpDuplicateToolError, McpToolError } from './errors.ts';
export { assertHostedName } from './hosted.ts';
export {
  createMcpHttpHandler,
  type HostedMcpHttpServer,
  type McpHttpHandler,
  serveMcpOverHttp,
} from './http-host.ts';
export {
  decideMcpModes,
  type ModeContext,
  type ModeDecision,
  type ModeServer,
  supportsHostedMcpByDefault,
} from './mode.ts';
export { isValidFunctionName, joinPrefix, mapToolNames, type NameMap } from './names.ts';
export type {
  HttpTransportOptions,
  McpApproval,
  McpMode,
  McpPolicy,
  McpServerOptions,
  McpToolFilter,
  McpToolInfo,
  McpTransportOptions,
  StdioTransportOptions,
} from './options.ts';
export { isToolAllowed } from './policy.ts';
export {
  mcpPrepareStep,
  type ResolvedTools,
  type ResolveOptions,
  resolveMcpTools,
  type ToolEntry,
} from './resolve.ts';
export { type CallOptions, McpServerHandle, mcpServer } from './server.ts';
export { mcpToolErrors } from './tool-errors.ts';
