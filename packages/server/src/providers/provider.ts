/**
 * The model behind the server. A provider streams one model call as a few explicit events; the engine turns
 * them into steps, runs server-executed tools and calls the provider again with the results.
 *
 * Versions (`specificationVersion`): `v1` (the default when absent) has the events text, media, thought, item
 * and usage; `v2` adds a client function call streamed as it arrives (`call_start`, `call_delta`, `call_end`),
 * `incomplete` (the model stopped early, e.g. at its output-token limit) and tool calls the upstream ran itself
 * (`item` with `executed: true`). The engine reads both.
 *
 * @example A provider answering "Hello" in two deltas, then a function call:
 * ```ts
 * const hello: Provider = {
 *   name: 'hello',
 *   async *generate(request, signal) {
 *     yield { type: 'text', text: 'Hel' };
 *     yield { type: 'text', text: 'lo' }; // appended to the same model_output step
 *     yield { type: 'item', item: { type: 'function_call', id: 'c1', name: 'get_time', arguments: {} } };
 *     yield { type: 'usage', usage: { total_input_tokens: 3, total_output_tokens: 2, total_tokens: 5 } };
 *   },
 * };
 * ```
 */
import type {
  Annotation,
  AudioContent,
  DocumentContent,
  GenerationConfig,
  ImageContent,
  Item,
  McpServerTool,
  OutputFormat,
  TextContent,
  Tool,
  Usage,
  VideoContent,
} from '@interplay/protocol';
import type { McpToolDescription } from '../mcp/session-pool.ts';

/** The interface revisions a provider can declare; see the file comment. */
export type ProviderSpecificationVersion = 'v1' | 'v2';

export interface ProviderRequest {
  interactionId: string;
  model?: string;
  agent?: string;
  /**
   * The whole conversation, oldest first: history (earlier interactions), this interaction's input, then the
   * items produced so far this turn (thoughts, tool calls and their results). Read-only: the array may be
   * shared with the engine's later calls, and the items with the server's in-memory history of the chain
   * (earlier turns' items are frozen) — copy what you need to change.
   */
  items: readonly Item[];
  /**
   * Which stored interactions the first `history.items` of `items` come from, when the request continues a
   * chain (`previous_interaction_id`). A finished interaction's items never change and ids are never reused,
   * so what a provider derives from those items (a token count, an upstream context cache) may be kept under
   * these ids. Absent for a first turn.
   */
  history?: ProviderHistory;
  system_instruction?: string;
  tools?: Tool[];
  generation_config?: GenerationConfig;
  output_format?: OutputFormat;
  /**
   * The tools of a hosted `mcp_server` declaration (filtered by its `allowed_tools`), for providers that offer
   * them to their model as functions. Absent when the server runs no hosted MCP.
   */
  listMcpTools?(declaration: McpServerTool, signal: AbortSignal): Promise<McpToolDescription[]>;
}

/**
 * The stored interactions a request's items begin with (`ProviderRequest.history`).
 *
 * @example Turn 3 of a chain: `items` = turn 1's input and output, turn 2's, then turn 3's input.
 * ```ts
 * const history: ProviderHistory = { ids: ['v1_turn1', 'v1_turn2'], items: 4 };
 * ```
 */
export interface ProviderHistory {
  /** The interactions, oldest first; each contributes its input items, then its output items. */
  readonly ids: readonly string[];
  /** How many items, from the first, are theirs. */
  readonly items: number;
}

export type MediaOutput = ImageContent | AudioContent | DocumentContent | VideoContent;

export type ProviderEvent =
  /** A text delta, appended to the current `model_output` step (a new one opens after any other event). */
  | { type: 'text'; text: string; annotations?: Annotation[] }
  /** A complete media part (generated image, speech…), appended to the current `model_output` step. */
  | { type: 'media'; content: MediaOutput }
  /** A complete thought. */
  | { type: 'thought'; signature?: string; summary?: (TextContent | ImageContent)[] }
  /**
   * A complete step: `function_call` (client's), a server tool call (`code_execution_call`, …), or any other.
   * `executed: true` (v2) marks a tool call the upstream ran itself (Gemini's own `google_search`,
   * `code_execution`, `url_context`): it is recorded, and this server does not run it again; its result follows
   * as another item.
   */
  | { type: 'item'; item: Item; executed?: boolean }
  /** Token usage of this call so far; the last one of a call counts (calls are summed by the engine). */
  | { type: 'usage'; usage: Usage }
  /** v2: a client `function_call` opens; its JSON arguments follow as `call_delta`s, then `call_end`. */
  | { type: 'call_start'; id: string; name: string; signature?: string }
  /** v2: the next fragment of the open call's arguments (JSON text), streamed as an `arguments_delta`. */
  | { type: 'call_delta'; arguments: string }
  /** v2: the open call is complete; `arguments` is the parsed whole. */
  | { type: 'call_end'; arguments: Record<string, unknown> }
  /**
   * v2: the model stopped before finishing (its output-token limit, …): the turn ends `incomplete` with this
   * reason once the call's events are in, and no tool it called runs.
   */
  | { type: 'incomplete'; reason: string };

export interface Provider {
  readonly name: string;
  /** Which revision of this interface the provider speaks; absent means `v1`. */
  readonly specificationVersion?: ProviderSpecificationVersion;
  /** Whether this provider serves a model (or agent) id; when absent it serves every id. */
  supportsModel?(model: string): boolean;
  /**
   * One model call. Throw (here or while iterating) to fail the turn: an `InteractionsError` (or any error with
   * a string `code`) keeps its code, anything else becomes `api_error`. Stop promptly when `signal` aborts.
   * A provider that has its whole answer at once may return the events as an array.
   */
  generate(request: ProviderRequest, signal: AbortSignal): ProviderEvents;
  /** Releases what the provider holds open (upstream connections); the server calls it on shutdown. */
  close?(): Promise<void>;
}

/** What `generate` returns: events streamed as they come, or all of them at once. */
export type ProviderEvents = AsyncIterable<ProviderEvent> | Iterable<ProviderEvent>;
