/**
 * Server-executed tools offered to a model that has no native form for them, as plain functions: the
 * built-ins (`code_execution`, `url_context`, `google_search`) and each tool of a hosted `mcp_server`. A call
 * of such a function becomes the tool's own call step (`code_execution_call`, `mcp_server_tool_call`, …),
 * which the engine runs; a call of any other function stays the client's `function_call`. The reverse mapping
 * ({@link asFunctionCall}, {@link asFunctionResult}) turns recorded steps back into function calls and results
 * for the next model call. Shared by every provider that speaks "functions" (OpenAI-compatible chat, Gemini
 * generateContent, Anthropic Messages).
 *
 * @example
 * const bridge = await functionBridge(request, 'openai', signal);
 * body.tools = bridge.functions.map((f) => ({ type: 'function', function: f }));
 * // later, for each complete call of the model:
 * const step = bridge.toStep({ id, name, arguments: args }); // function_call, code_execution_call, …
 */
import {
  InteractionsError,
  type Item,
  type McpServerTool,
  type MediaContent,
  type Tool,
} from '@interplay/protocol';
import { builtinResultText } from '../../builtins/render.ts';
import type { ProviderRequest } from '../provider.ts';

/** A function as a model sees it. `parameters` is a JSON Schema object. */
export interface FunctionSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A complete function call of the model. */
export interface ModelCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface FunctionBridge {
  /** Every function to offer: the client's, then the built-ins, then the MCP servers' tools. */
  readonly functions: readonly FunctionSpec[];
  /** True when calls of `name` run on the server (so the call is not streamed to the client as it arrives). */
  isServerFunction(name: string): boolean;
  /** The step a call becomes. */
  toStep(call: ModelCall): Item;
}

/** Built-in tool types → the function offered for them. */
export const BUILTIN_FUNCTIONS: Record<string, FunctionSpec & { callType: string }> = {
  code_execution: {
    name: 'code_execution',
    callType: 'code_execution_call',
    description:
      'Runs Python 3 code in a sandbox (standard library only; no network, no files kept) and returns what ' +
      'it printed (stdout, then stderr) and the value of its last expression. Use it to compute anything ' +
      'exactly: print the results you need.',
    parameters: {
      type: 'object',
      properties: { code: { type: 'string', description: 'The complete Python program to run.' } },
      required: ['code'],
    },
  },
  url_context: {
    name: 'url_context',
    callType: 'url_context_call',
    description:
      'Fetches web pages and returns their readable text, to read what a URL says. Give every URL you need.',
    parameters: {
      type: 'object',
      properties: {
        urls: { type: 'array', items: { type: 'string' }, description: 'The http(s) URLs to read.' },
      },
      required: ['urls'],
    },
  },
  google_search: {
    name: 'google_search',
    callType: 'google_search_call',
    description:
      'Searches the web and returns the top results (title, URL, snippet) for each query. Use it for ' +
      'anything recent or factual you are not sure of.',
    parameters: {
      type: 'object',
      properties: {
        queries: { type: 'array', items: { type: 'string' }, description: 'One or more search queries.' },
      },
      required: ['queries'],
    },
  },
  tool_search: {
    name: 'tool_search',
    callType: 'tool_search_call',
    description:
      'Finds and loads more tools you can call. Name the functions you want (function_names) or describe ' +
      'what they should do (query); the ones found become available to call.',
    parameters: {
      type: 'object',
      properties: {
        function_names: { type: 'array', items: { type: 'string' }, description: 'Exact function names.' },
        query: { type: 'string', description: 'What the tools should do.' },
      },
    },
  },
};

const CALL_TYPE_TO_BUILTIN = new Map(Object.values(BUILTIN_FUNCTIONS).map((f) => [f.callType, f.name]));

/** Tool types this bridge offers as functions. */
const BRIDGED = new Set(['function', 'mcp_server', ...Object.keys(BUILTIN_FUNCTIONS)]);

export interface BridgeOptions {
  /**
   * Tool types the upstream runs itself (Gemini's own `google_search`, `code_execution`, `url_context`): not
   * offered as functions, and no error — the provider declares them in the upstream's own form.
   */
  upstreamTools?: ReadonlySet<string>;
}

/**
 * The functions for `request.tools`. Throws a 400 `invalid_request` naming `tools[i]` for a tool the provider
 * cannot offer (e.g. `file_search`), and for two tools that would share a function name.
 */
export async function functionBridge(
  request: ProviderRequest,
  provider: string,
  signal: AbortSignal,
  options: BridgeOptions = {},
): Promise<FunctionBridge> {
  const upstreamTools = options.upstreamTools ?? new Set<string>();
  const functions: FunctionSpec[] = [];
  const servers = new Map<string, Item>();
  const owner = new Map<string, string>(); // function name → the tools[i] that offers it
  const add = (spec: FunctionSpec, field: string): void => {
    const taken = owner.get(spec.name);
    if (taken !== undefined) {
      throw new InteractionsError(
        'invalid_request',
        `'${field}' offers a function named '${spec.name}', like '${taken}' does: give one of them another name.`,
        { field },
      );
    }
    owner.set(spec.name, field);
    functions.push(spec);
  };
  const tools = request.tools ?? [];
  const mcpDeclarations: { declaration: McpServerTool; field: string }[] = [];
  tools.forEach((tool, i) => {
    const field = `tools[${i}]`;
    if (upstreamTools.has(tool.type)) return;
    if (!BRIDGED.has(tool.type)) {
      throw new InteractionsError(
        'invalid_request',
        `'${field}': the '${provider}' provider cannot offer '${tool.type}' tools to its model ` +
          `(it can offer function, mcp_server, ${Object.keys(BUILTIN_FUNCTIONS).join(', ')}).`,
        { field },
      );
    }
    if (tool.type === 'function') add(clientFunction(tool, field), field);
    else if (tool.type === 'mcp_server') mcpDeclarations.push({ declaration: tool as McpServerTool, field });
    else {
      const { callType: _callType, ...spec } = BUILTIN_FUNCTIONS[tool.type]!;
      add(spec, field);
    }
  });
  for (const { declaration, field } of mcpDeclarations) {
    const serverName = String(declaration.name ?? '');
    if (!request.listMcpTools) {
      throw new InteractionsError(
        'invalid_request',
        `'${field}': this server runs no hosted MCP, so the mcp_server '${serverName}' cannot be used.`,
        { field },
      );
    }
    const listed = await request.listMcpTools(declaration, signal);
    for (const tool of listed) {
      const name = mcpFunctionName(serverName, tool.name);
      add(
        {
          name,
          description: `${tool.description ?? tool.name} (tool '${tool.name}' of the MCP server '${serverName}')`,
          parameters: objectSchema(tool.inputSchema),
        },
        field,
      );
      servers.set(name, {
        type: 'mcp_server_tool_call',
        id: '',
        name: tool.name,
        server_name: serverName,
        arguments: {},
      });
    }
  }
  const builtinNames = new Set(
    tools
      .filter((t) => t.type in BUILTIN_FUNCTIONS && !upstreamTools.has(t.type))
      .map((t) => BUILTIN_FUNCTIONS[t.type]!.name),
  );
  return {
    functions,
    isServerFunction: (name) => builtinNames.has(name) || servers.has(name),
    toStep(call) {
      const mcp = servers.get(call.name);
      if (mcp) return { ...mcp, id: call.id, arguments: call.arguments } as Item;
      if (builtinNames.has(call.name)) {
        return builtinStep(call);
      }
      return { type: 'function_call', id: call.id, name: call.name, arguments: call.arguments };
    },
  };
}

function builtinStep(call: ModelCall): Item {
  const args = call.arguments;
  switch (call.name) {
    case 'code_execution':
      return {
        type: 'code_execution_call',
        id: call.id,
        arguments: { language: 'python', code: typeof args.code === 'string' ? args.code : '' },
      };
    case 'url_context':
      return {
        type: 'url_context_call',
        id: call.id,
        arguments: { urls: stringList(args.urls ?? args.url) },
      };
    case 'tool_search':
      return {
        type: 'tool_search_call',
        id: call.id,
        arguments: {
          ...(Array.isArray(args.function_names) ? { function_names: stringList(args.function_names) } : {}),
          ...(typeof args.query === 'string' ? { query: args.query } : {}),
        },
      };
    default:
      return {
        type: 'google_search_call',
        id: call.id,
        arguments: { queries: stringList(args.queries ?? args.query) },
      };
  }
}

/** The function name of tool `tool` of MCP server `server`: `server__tool`, cut to the 64 characters allowed. */
export function mcpFunctionName(server: string, tool: string): string {
  return safeName(`${server}__${tool}`);
}

/** Function names may hold letters, digits, `_` and `-`, at most 64 of them (OpenAI, Gemini and Anthropic). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || '_';
}

/** A recorded call step as the function call the model made (for replaying history), or undefined. */
export function asFunctionCall(item: Item): ModelCall | undefined {
  const id = typeof item.id === 'string' ? item.id : '';
  const args = (item.arguments ?? {}) as Record<string, unknown>;
  if (item.type === 'function_call') return { id, name: String(item.name), arguments: args };
  if (item.type === 'mcp_server_tool_call') {
    return {
      id,
      name: mcpFunctionName(String(item.server_name ?? ''), String(item.name ?? '')),
      arguments: args,
    };
  }
  const builtin = CALL_TYPE_TO_BUILTIN.get(item.type);
  if (!builtin) return undefined;
  if (item.type === 'code_execution_call') return { id, name: builtin, arguments: { code: args.code ?? '' } };
  return { id, name: builtin, arguments: args };
}

/** A function's result as a model reads it: text, plus any images it returned. */
export interface ModelResult {
  callId: string;
  /** The function name (from the result, or the call's when the result has none). */
  name?: string;
  text: string;
  media: MediaContent[];
  isError: boolean;
}

/** A recorded result step as the function result the model reads, or undefined for other items. */
export function asFunctionResult(item: Item): ModelResult | undefined {
  const callId = typeof item.call_id === 'string' ? item.call_id : '';
  const isError = item.is_error === true;
  if (item.type === 'function_result' || item.type === 'mcp_server_tool_result') {
    const { text, media } = resultContent(item.result);
    const name =
      item.type === 'mcp_server_tool_result'
        ? mcpFunctionName(String(item.server_name ?? ''), String(item.name ?? ''))
        : typeof item.name === 'string'
          ? item.name
          : undefined;
    return { callId, ...(name === undefined ? {} : { name }), text, media, isError };
  }
  const text = builtinResultText(item);
  if (text === undefined) return undefined;
  const builtin = CALL_TYPE_TO_BUILTIN.get(item.type.replace(/_result$/, '_call'));
  return { callId, ...(builtin ? { name: builtin } : {}), text, media: [], isError };
}

/** A result value as text and media: strings as they are, text/image parts split, other JSON serialized. */
function resultContent(result: unknown): { text: string; media: MediaContent[] } {
  if (typeof result === 'string') return { text: result, media: [] };
  if (Array.isArray(result) && result.every(isContentPart)) {
    const parts = result as MediaContent[];
    const text = parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
    return { text, media: parts.filter((p) => p.type !== 'text') };
  }
  return { text: JSON.stringify(result ?? null), media: [] };
}

function isContentPart(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    ['text', 'image', 'audio', 'document', 'video'].includes(String((value as { type?: unknown }).type))
  );
}

function clientFunction(tool: Tool, field: string): FunctionSpec {
  const name = typeof tool.name === 'string' ? tool.name : '';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new InteractionsError(
      'invalid_request',
      `'${field}.name' must be 1–64 letters, digits, '_' or '-', got ${JSON.stringify(tool.name)}.`,
      { field: `${field}.name` },
    );
  }
  return {
    name,
    description: typeof tool.description === 'string' ? tool.description : '',
    parameters: objectSchema(tool.parameters),
  };
}

/** A function's parameters must be an object schema; an absent one is an empty object. */
function objectSchema(schema: unknown): Record<string, unknown> {
  if (schema && typeof schema === 'object' && !Array.isArray(schema))
    return schema as Record<string, unknown>;
  return { type: 'object', properties: {} };
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
