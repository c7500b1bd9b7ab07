/**
 * Tool sets: a runner's tool list split into function tools (by name, duplicates refused) and hosted/built-in
 * tools, and the set one step offers after `prepareStep`.
 */
import type { Tool as WireTool } from '@interplay/protocol';
import { ToolDefinitionError } from '../errors.ts';
import { type AnyTool, isToolDefinition } from '../tool/tool.ts';
import type { RunnerTool, StepOverrides } from './options.ts';

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

/** What one step offers: `prepareStep`'s `tools` instead of the runner's, narrowed to its `activeTools`. */
export function stepTools(runnerTools: ToolSet, overrides: StepOverrides): ToolSet {
  const tools = overrides.tools ? splitTools(overrides.tools) : runnerTools;
  if (!overrides.activeTools) return tools;
  return { ...tools, functionTools: only(tools.functionTools, overrides.activeTools) };
}

/** The function tools among `tools` whose names are listed. */
export function only(tools: ReadonlyMap<string, AnyTool>, names: readonly string[]): Map<string, AnyTool> {
  const wanted = new Set(names);
  return new Map([...tools].filter(([name]) => wanted.has(name)));
}
