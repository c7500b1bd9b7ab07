/**
 * `tool_search` (SDK 3.6): with it in a request, the model is not shown the request's function tools up front.
 * It calls `tool_search_call` with `function_names` (and, our addition, a free-text `query`); the result
 * (`tool_search_result.result`) carries the matching function declarations, and from then on those functions
 * are offered to the model like any other.
 *
 * - `execution: 'server'` (the default): this server searches the request's function tools (exact names first,
 *   then the query's words in names and descriptions) — {@link toolSearchTool}.
 * - `execution: 'client'`: the call ends the turn with `requires_action`, as a function call would; the client
 *   answers with a `tool_search_result` input step whose `result` lists the declarations to load.
 *
 * @example
 * ```ts
 * // request.tools = [{ type: 'tool_search' }, { type: 'function', name: 'get_weather', … }, …]
 * visibleTools(request.tools, items); // [{ type: 'tool_search' }] until a result loads get_weather
 * ```
 */
import type { FunctionTool, Item, Tool } from '@interplay/protocol';
import type { ServerTool } from './server-tool.ts';

/** Most declarations one search returns. */
const MAX_RESULTS = 8;
/** A query is cut to this many characters and words: the client controls it. */
const MAX_QUERY_CHARS = 1_000;
const MAX_QUERY_WORDS = 32;

const isFunction = (t: Tool): t is FunctionTool => t.type === 'function';

/** The request's `tool_search` declaration, if it has one. */
export function toolSearchOf(tools: readonly Tool[] | undefined): Tool | undefined {
  return tools?.find((t) => t.type === 'tool_search');
}

/** Whether the request's tool search is run by the client. */
export function clientToolSearch(tools: readonly Tool[] | undefined): boolean {
  return toolSearchOf(tools)?.execution === 'client';
}

/**
 * The tools the model is offered now: all of them without a `tool_search`; with one, everything but the
 * functions, plus the functions that a `tool_search_result` so far (history or this turn) has loaded.
 */
export function visibleTools(tools: Tool[] | undefined, items: readonly Item[]): Tool[] | undefined {
  if (!tools || !toolSearchOf(tools)) return tools;
  const declared = new Map(tools.filter(isFunction).map((t) => [t.name, t]));
  const loaded = new Map<string, FunctionTool>();
  for (const item of items) {
    if (item.type !== 'tool_search_result' || !Array.isArray(item.result)) continue;
    for (const found of item.result as FunctionTool[]) {
      if (typeof found?.name !== 'string' || loaded.has(found.name)) continue;
      // The request's own declaration wins over what a result repeats of it.
      loaded.set(found.name, declared.get(found.name) ?? { ...found, type: 'function' });
    }
  }
  return [...tools.filter((t) => !isFunction(t)), ...loaded.values()];
}

/** The request's functions that `args` asks for: named ones first, then the best matches of the query. */
export function searchFunctions(tools: readonly Tool[], args: Record<string, unknown>): FunctionTool[] {
  const functions = tools.filter(isFunction);
  const found: FunctionTool[] = [];
  const names = Array.isArray(args.function_names)
    ? args.function_names.filter((n) => typeof n === 'string')
    : [];
  for (const name of names) {
    const match = functions.find((f) => f.name === name);
    if (match && !found.includes(match)) found.push(match);
  }
  const query = typeof args.query === 'string' ? args.query.slice(0, MAX_QUERY_CHARS).toLowerCase() : '';
  const words = [...new Set(query.split(/[^\p{L}\p{N}_]+/u).filter((w) => w.length > 1))].slice(
    0,
    MAX_QUERY_WORDS,
  );
  if (words.length > 0) {
    const scored = functions
      .filter((f) => !found.includes(f))
      .map((f) => {
        const text =
          `${f.name ?? ''} ${(f.name ?? '').replaceAll('_', ' ')} ${f.description ?? ''}`.toLowerCase();
        return { f, score: words.filter((w) => text.includes(w)).length };
      })
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score);
    for (const { f } of scored) found.push(f);
  }
  return found.slice(0, MAX_RESULTS);
}

/** The server-executed search over the request's function tools. */
export function toolSearchTool(): ServerTool {
  return {
    toolType: 'tool_search',
    callType: 'tool_search_call',
    async execute(call, ctx) {
      const args = (call.arguments ?? {}) as Record<string, unknown>;
      const result = searchFunctions(ctx.tools ?? [], args);
      return { type: 'tool_search_result', call_id: call.id as string, result } as Item;
    },
  };
}
