/** Which server tool runs a call, and whether the request offered it. */
import { type Item, SERVER_TOOL_CALL_TYPES, type Tool } from '@interplay/protocol';
import type { ServerTool } from './server-tool.ts';
import { toolSearchTool } from './tool-search.ts';

export type ResolvedCall = { ok: true; tool: ServerTool; declaration: Tool } | { ok: false; message: string };

export interface ServerToolRegistry {
  /** Adds a tool; throws when another tool already runs the same call type. */
  register(tool: ServerTool): void;
  get(callType: string): ServerTool | undefined;
  /** True for calls the server runs (built-in call types and registered ones), false for `function_call`. */
  isServerCall(item: Item): boolean;
  /** The tool and declaration for a call, or why it cannot run (unknown tool, not offered in the request). */
  resolve(call: Item, offered: readonly Tool[]): ResolvedCall;
}

const BUILT_IN_CALL_TYPES: ReadonlySet<string> = new Set(SERVER_TOOL_CALL_TYPES);

export function createServerToolRegistry(tools: readonly ServerTool[] = []): ServerToolRegistry {
  const byCallType = new Map<string, ServerTool>();
  const registry: ServerToolRegistry = {
    register(tool) {
      if (byCallType.has(tool.callType)) throw new Error(`a server tool already runs '${tool.callType}'`);
      byCallType.set(tool.callType, tool);
    },
    get: (callType) => byCallType.get(callType),
    isServerCall: (item) => byCallType.has(item.type) || BUILT_IN_CALL_TYPES.has(item.type),
    resolve(call, offered) {
      const tool = byCallType.get(call.type);
      if (!tool) return { ok: false, message: `this server has no tool that runs '${call.type}'` };
      const declaration = tool.findDeclaration
        ? tool.findDeclaration(call, offered)
        : defaultDeclaration(call, offered, tool.toolType);
      if (!declaration)
        return { ok: false, message: `tool '${describe(call, tool)}' was not offered in this request` };
      return { ok: true, tool, declaration };
    },
  };
  for (const tool of tools) registry.register(tool);
  // Searching the request's own tools needs nothing from outside: every server offers it.
  if (!byCallType.has('tool_search_call')) registry.register(toolSearchTool());
  return registry;
}

function defaultDeclaration(call: Item, offered: readonly Tool[], toolType: string): Tool | undefined {
  const serverName = typeof call.server_name === 'string' ? call.server_name : undefined;
  return offered.find((t) => t.type === toolType && (serverName === undefined || t.name === serverName));
}

function describe(call: Item, tool: ServerTool): string {
  return typeof call.server_name === 'string' ? `${tool.toolType} ${call.server_name}` : tool.toolType;
}
