/**
 * The model behind the server. A provider streams one model call as a few explicit events; the engine turns
 * them into steps, runs server-executed tools and calls the provider again with the results.
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
  OutputFormat,
  TextContent,
  Tool,
  Usage,
  VideoContent,
} from '@interplay/protocol';

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
  system_instruction?: string;
  tools?: Tool[];
  generation_config?: GenerationConfig;
  output_format?: OutputFormat;
}

export type MediaOutput = ImageContent | AudioContent | DocumentContent | VideoContent;

export type ProviderEvent =
  /** A text delta, appended to the current `model_output` step (a new one opens after any other event). */
  | { type: 'text'; text: string; annotations?: Annotation[] }
  /** A complete media part (generated image, speech…), appended to the current `model_output` step. */
  | { type: 'media'; content: MediaOutput }
  /** A complete thought. */
  | { type: 'thought'; signature?: string; summary?: (TextContent | ImageContent)[] }
  /** A complete step: `function_call` (client's), a server tool call (`code_execution_call`, …), or any other. */
  | { type: 'item'; item: Item }
  /** Token usage of this call so far; the last one of a call counts (calls are summed by the engine). */
  | { type: 'usage'; usage: Usage };

export interface Provider {
  readonly name: string;
  /** Whether this provider serves a model (or agent) id; when absent it serves every id. */
  supportsModel?(model: string): boolean;
  /**
   * One model call. Throw (here or while iterating) to fail the turn: an `InteractionsError` (or any error with
   * a string `code`) keeps its code, anything else becomes `api_error`. Stop promptly when `signal` aborts.
   * A provider that has its whole answer at once may return the events as an array.
   */
  generate(request: ProviderRequest, signal: AbortSignal): ProviderEvents;
}

/** What `generate` returns: events streamed as they come, or all of them at once. */
export type ProviderEvents = AsyncIterable<ProviderEvent> | Iterable<ProviderEvent>;
