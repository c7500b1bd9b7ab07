/** MCP `tools/call` results → `mcp_server_tool_result` fields, through the protocol's shared mapping. */
import { type McpCallResult, mapCallResult } from '@interplay/protocol';

export type { McpCallResult };

export function toResultFields(result: McpCallResult): { result: unknown; is_error?: true } {
  const mapped = mapCallResult(result);
  return mapped.isError ? { result: mapped.value, is_error: true } : { result: mapped.value };
}
