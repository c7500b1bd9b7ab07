/** Split a runner's tool list into function tools (by name, duplicates refused) and hosted/built-in tools. */
import type { Tool as WireTool } from '@interplay/protocol';
import { ToolDefinitionError } from '../errors.ts';
import { type AnyTool, isToolDefinition } from '../tool/tool.ts';
import type { RunnerTool } from './options.ts';

export interface ToolSet {
  functionTools: ReadonlyMap<string, AnyTool>;
  hostedTools: readonly WireTool[];
}

export function splitTools(tools: readonly RunnerTool[]): ToolSet {
  const functionTools = new Map<string, AnyTool>();
  const hostedTools: WireTool[] = [];
  for (const entry of tools) {
    if (isToolDefinition(entry)) {
      if (functionTools.has(entry.name)) {
        throw new ToolDefinitionError(`Two tools are named "${entry.name}".`, entry.name);
      }
      functionTools.set(entry.name, entry);
    } else if (typeof entry === 'object' && entry !== null && typeof (entry as WireTool).type === 'string') {
      hostedTools.push(entry as WireTool);
    } else {
      throw new ToolDefinitionError('A tool must come from tool() or be an API tool object with a "type".');
    }
  }
  return { functionTools, hostedTools };
}
