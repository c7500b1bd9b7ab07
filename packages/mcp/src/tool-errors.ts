/**
 * An `onToolError` policy that sends an MCP tool's own error content to the model as it is (with
 * `is_error: true`), instead of core's "Error in tool X: …" wrapper. Other failures are left to `fallback`.
 *
 * @example
 * new Runner({ client, model, tools, onToolError: mcpToolErrors() });
 */
import type { ToolErrorDecision, ToolErrorPolicy } from '@interplay/core';
import { McpToolError } from './errors.ts';

export function mcpToolErrors(fallback?: ToolErrorPolicy): ToolErrorPolicy {
  return (failure): ToolErrorDecision | Promise<ToolErrorDecision> => {
    if (failure.kind === 'execution_error' && failure.error instanceof McpToolError)
      return { result: failure.error.result, isError: true };
    return fallback ? fallback(failure) : 'send_to_model';
  };
}
