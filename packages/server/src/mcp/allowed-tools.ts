/**
 * `allowed_tools` of an `mcp_server` declaration: `[{ mode?, tools? }]`. Absent or empty: every tool. Otherwise a
 * tool is allowed when an entry whose mode is not `none` lists it, or has no `tools` list (all of them).
 */
import type { AllowedTools, McpServerTool } from '@interplay/protocol';

export function isToolAllowed(declaration: McpServerTool, toolName: string): boolean {
  const entries = declaration.allowed_tools;
  if (!Array.isArray(entries) || entries.length === 0) return true;
  return entries.some(
    (entry: AllowedTools) =>
      entry.mode !== 'none' && (!Array.isArray(entry.tools) || entry.tools.includes(toolName)),
  );
}
