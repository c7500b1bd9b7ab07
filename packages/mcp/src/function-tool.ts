/**
 * One MCP tool → one core function tool. Its input schema goes through core's Gemini schema conversion (the
 * same as `tool()`), so `$ref`, `anyOf`, empty `required` and the like are fixed before Gemini sees them.
 */
import { type AnyTool, type ToolContext, tool } from '@interplay/core';
import type { McpApproval, McpToolInfo } from './options.ts';
import { approvalFor } from './policy.ts';

export interface BridgeOptions {
  server: string;
  functionName: string;
  info: McpToolInfo;
  timeoutMs: number | undefined;
  needsApproval: McpApproval | undefined;
  /** Runs the call on the server; resolves with the function_result value, throws `McpToolError` on isError. */
  call: (args: Record<string, unknown>, ctx: ToolContext) => Promise<unknown>;
  onWarning: (message: string) => void;
}

const OPEN_OBJECT = { type: 'object', properties: {}, additionalProperties: true };
const MAX_SCHEMA_IN_DESCRIPTION = 2_000;

export function bridgeTool(options: BridgeOptions): AnyTool {
  const { info, functionName, server } = options;
  const description = info.description?.trim() || `Tool ${info.name} of MCP server ${server}.`;
  const base = {
    name: functionName,
    execute: (args: Record<string, unknown>, ctx: ToolContext) => options.call(args, ctx),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    needsApproval: approvalFor(options.needsApproval, info),
  };
  try {
    return tool({ ...base, description, parameters: info.inputSchema }) as unknown as AnyTool;
  } catch (error) {
    // One odd schema must not take the whole server down: offer the tool with open arguments, and show the
    // model the original schema in words. The MCP server still validates what it receives.
    const reason = error instanceof Error ? error.message : String(error);
    options.onWarning(
      `MCP server "${server}": tool "${info.name}" has a schema Gemini cannot take (${reason}); its arguments are not checked locally.`,
    );
    const schema = JSON.stringify(info.inputSchema).slice(0, MAX_SCHEMA_IN_DESCRIPTION);
    return tool({
      ...base,
      description: `${description}\nArguments (JSON Schema): ${schema}`,
      parameters: OPEN_OBJECT,
    }) as unknown as AnyTool;
  }
}
