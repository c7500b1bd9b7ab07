/**
 * Chat Completions stream chunks → provider events. Text deltas pass at once; `reasoning_content` (DeepSeek,
 * older vLLM) or `reasoning` (vLLM ≥ 0.11, Ollama, OpenRouter) deltas gather into one thought, given out when
 * the answer moves on; tool calls are assembled by `index` (OpenAI and vLLM stream the arguments in pieces,
 * Ollama sends each call whole, sometimes without an index): a client function streams as
 * `call_start` / `call_delta` / `call_end` as it arrives, a server function (built-in or MCP) becomes its
 * call step once complete. `finish_reason: length` ends the turn `incomplete`; `content_filter` fails it.
 */
import type { Usage } from '@interplay/protocol';
import type { ProviderEvent } from '../provider.ts';
import type { FunctionBridge } from '../shared/builtin-functions.ts';
import { parseCallArguments } from '../shared/call-arguments.ts';
import { UpstreamError, upstreamMessage } from '../shared/upstream-error.ts';

interface PendingCall {
  key: string;
  id: string;
  name: string;
  args: string;
  /** Streamed as it arrives (a client function). */
  live: boolean;
  done: boolean;
}

interface ToolCallDelta {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null };
}

export class ChunkReader {
  readonly #bridge: FunctionBridge;
  readonly #provider: string;
  readonly #emit: (event: ProviderEvent) => void;
  #reasoning = '';
  readonly #calls: PendingCall[] = [];
  #open: PendingCall | undefined;
  #finish: string | undefined;

  /** `emit` gets each event as a chunk produces it (called from inside `take` and `end`). */
  constructor(bridge: FunctionBridge, provider: string, emit: (event: ProviderEvent) => void) {
    this.#bridge = bridge;
    this.#provider = provider;
    this.#emit = emit;
  }

  /** Emits the events one chunk (or a whole non-streamed `chat.completion`) adds. */
  take(chunk: Record<string, unknown>): void {
    if (chunk.error !== undefined) {
      throw new UpstreamError(
        'upstream_error',
        `The model provider '${this.#provider}' failed while answering: ${upstreamMessage(JSON.stringify(chunk))}`,
        { provider: this.#provider },
      );
    }
    const choice = firstChoice(chunk.choices);
    if (choice) {
      const delta = (choice.delta ?? choice.message ?? {}) as Record<string, unknown>;
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string' && reasoning !== '') this.#reasoning += reasoning;
      const text = nonEmpty(delta.content) ?? nonEmpty(delta.refusal);
      if (text !== undefined) {
        this.#flushThought();
        this.#closeOpen();
        this.#emit({ type: 'text', text });
      }
      // Some servers (vLLM) send `tool_calls: []` with every delta: only a real call ends the thought.
      if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) {
        this.#flushThought();
        for (const call of delta.tool_calls as ToolCallDelta[]) this.#toolCall(call);
      }
      if (typeof choice.finish_reason === 'string') this.#finish = choice.finish_reason;
    }
    if (chunk.usage && typeof chunk.usage === 'object') {
      this.#emit({ type: 'usage', usage: toUsage(chunk.usage as Record<string, unknown>) });
    }
  }

  /** Emits what is still pending when the stream ends: the thought, the calls, and how the answer finished. */
  end(): void {
    this.#flushThought();
    this.#closeOpen();
    for (const call of this.#calls) if (!call.done) this.#complete(call);
    if (this.#finish === 'length') {
      this.#emit({
        type: 'incomplete',
        reason: 'the model reached its output-token limit (max_output_tokens)',
      });
    } else if (this.#finish === 'content_filter') {
      throw new UpstreamError(
        'safety',
        `The model provider '${this.#provider}' stopped the answer: its content filter flagged it.`,
        { provider: this.#provider },
      );
    }
  }

  #flushThought(): void {
    if (this.#reasoning === '') return;
    this.#emit({ type: 'thought', summary: [{ type: 'text', text: this.#reasoning }] });
    this.#reasoning = '';
  }

  #toolCall(delta: ToolCallDelta): void {
    const name = delta.function?.name ?? undefined;
    const id = delta.id ?? undefined;
    const key =
      typeof delta.index === 'number'
        ? `i${delta.index}`
        : id && this.#calls.some((c) => c.key === `id${id}`)
          ? `id${id}`
          : `id${id ?? this.#calls.length}`;
    let call = this.#calls.find((c) => c.key === key);
    if (!call) {
      // Calls stream one after another: a new one means the earlier ones are whole (kept in the model's order).
      this.#closeOpen();
      for (const earlier of this.#calls) if (!earlier.done) this.#complete(earlier);
      call = {
        key,
        id: id || `call_${this.#calls.length}_${Date.now().toString(36)}`,
        name: name ?? '',
        args: '',
        live: false,
        done: false,
      };
      this.#calls.push(call);
      if (call.name && !this.#bridge.isServerFunction(call.name)) {
        call.live = true;
        this.#open = call;
        this.#emit({ type: 'call_start', id: call.id, name: call.name });
      }
    } else if (name && !call.name) {
      call.name = name;
    }
    const fragment = delta.function?.arguments ?? '';
    if (fragment) {
      call.args += fragment;
      if (call.live && this.#open === call) this.#emit({ type: 'call_delta', arguments: fragment });
    }
  }

  #closeOpen(): void {
    const open = this.#open;
    this.#open = undefined;
    if (open && !open.done) this.#complete(open);
  }

  #complete(call: PendingCall): void {
    call.done = true;
    const args = parseCallArguments(call.args, {
      provider: this.#provider,
      name: call.name,
      field: 'arguments',
    });
    if (call.live) {
      this.#emit({ type: 'call_end', arguments: args });
      return;
    }
    if (!call.name) {
      throw new UpstreamError(
        'upstream_error',
        `The model provider '${this.#provider}' sent a tool call without a name.`,
        {
          provider: this.#provider,
        },
      );
    }
    this.#emit({
      type: 'item',
      item: this.#bridge.toStep({ id: call.id, name: call.name, arguments: args }),
    });
  }
}

// Plain loops and checks, not `find` with a closure over a fresh array: this runs for every streamed chunk.

/** The choice with index 0 (a missing index counts as 0), if the chunk has one. */
function firstChoice(choices: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(choices)) return undefined;
  for (const c of choices as Record<string, unknown>[]) if ((c.index ?? 0) === 0) return c;
  return undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Chat Completions usage → Interactions usage (output excludes reasoning tokens, counted as thought). */
export function toUsage(u: Record<string, unknown>): Usage {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const input = num(u.prompt_tokens);
  const completion = num(u.completion_tokens);
  const details = (u.completion_tokens_details ?? {}) as Record<string, unknown>;
  const cached = num(((u.prompt_tokens_details ?? {}) as Record<string, unknown>).cached_tokens);
  const thought = Math.min(num(details.reasoning_tokens), completion);
  return {
    total_input_tokens: input,
    total_output_tokens: completion - thought,
    total_thought_tokens: thought,
    total_cached_tokens: cached,
    total_tokens: num(u.total_tokens) || input + completion,
  };
}
