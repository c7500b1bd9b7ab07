/**
 * Messages API stream events → provider events. Text deltas pass at once; a `thinking` block becomes one
 * thought step with its text as the summary and its `signature_delta` as the signature; a `redacted_thinking`
 * block a thought whose signature holds the opaque `data`; a `tool_use` block a client function streamed as it
 * arrives (`input_json_delta` → `arguments_delta`) or a server function's call step once complete. Usage comes
 * from `message_start` and the cumulative `message_delta`; `stop_reason: max_tokens` ends the turn
 * `incomplete`, `refusal` fails it (`safety`); an `error` event fails it with the mapped code.
 */
import type { Usage } from '@interplay/protocol';
import type { ProviderEvent } from '../provider.ts';
import type { FunctionBridge } from '../shared/builtin-functions.ts';
import { parseCallArguments } from '../shared/call-arguments.ts';
import { sealSignature } from '../shared/signatures.ts';
import { UpstreamError } from '../shared/upstream-error.ts';

type Block =
  | { type: 'text' }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; json: string; live: boolean }
  | { type: 'other' };

/** An `error` event worth another attempt when it comes before any output (`overloaded_error`, …). */
export class StreamedUpstreamError extends UpstreamError {
  readonly retryable: boolean;
  constructor(code: string, message: string, provider: string, retryable: boolean) {
    super(code, message, { provider });
    this.retryable = retryable;
  }
}

const ERROR_CODES: Record<string, { code: string; retryable: boolean }> = {
  overloaded_error: { code: 'service_unavailable', retryable: true },
  api_error: { code: 'upstream_error', retryable: true },
  rate_limit_error: { code: 'resource_exhausted', retryable: true },
  invalid_request_error: { code: 'invalid_request', retryable: false },
  request_too_large: { code: 'invalid_request', retryable: false },
  not_found_error: { code: 'not_found', retryable: false },
};

export class EventReader {
  readonly #bridge: FunctionBridge;
  readonly #provider: string;
  readonly #blocks = new Map<number, Block>();
  #usage: Record<string, number> = {};
  #stop: string | undefined;
  #output = false;

  constructor(bridge: FunctionBridge, provider: string) {
    this.#bridge = bridge;
    this.#provider = provider;
  }

  /** Whether anything of the answer has been given out (after that, a failed stream is not tried again). */
  get started(): boolean {
    return this.#output;
  }

  *take(event: Record<string, unknown>): Generator<ProviderEvent> {
    for (const out of this.#read(event)) {
      if (out.type !== 'usage') this.#output = true;
      yield out;
    }
  }

  *#read(event: Record<string, unknown>): Generator<ProviderEvent> {
    switch (event.type) {
      case 'message_start': {
        const message = (event.message ?? {}) as { usage?: Record<string, unknown> };
        yield* this.#addUsage(message.usage);
        return;
      }
      case 'content_block_start':
        yield* this.#start(Number(event.index), (event.content_block ?? {}) as Record<string, unknown>);
        return;
      case 'content_block_delta':
        yield* this.#delta(Number(event.index), (event.delta ?? {}) as Record<string, unknown>);
        return;
      case 'content_block_stop':
        yield* this.#stopBlock(Number(event.index));
        return;
      case 'message_delta': {
        const delta = (event.delta ?? {}) as { stop_reason?: unknown };
        if (typeof delta.stop_reason === 'string') this.#stop = delta.stop_reason;
        yield* this.#addUsage(event.usage as Record<string, unknown> | undefined);
        return;
      }
      case 'error': {
        const error = (event.error ?? {}) as { type?: string; message?: string };
        const known = ERROR_CODES[error.type ?? ''] ?? { code: 'upstream_error', retryable: false };
        throw new StreamedUpstreamError(
          known.code,
          `The model provider '${this.#provider}' failed while answering: ${error.type ?? 'error'}: ${error.message ?? ''}`,
          this.#provider,
          known.retryable,
        );
      }
      default:
        return; // ping, message_stop, and event types added later
    }
  }

  /** How the answer finished. */
  *end(): Generator<ProviderEvent> {
    if (this.#stop === 'max_tokens') {
      yield { type: 'incomplete', reason: 'the model reached its output-token limit (max_tokens)' };
    } else if (this.#stop === 'model_context_window_exceeded') {
      yield { type: 'incomplete', reason: "the conversation reached the model's context window" };
    } else if (this.#stop === 'refusal') {
      throw new UpstreamError(
        'safety',
        `The model provider '${this.#provider}' declined to answer (stop_reason refusal).`,
        { provider: this.#provider },
      );
    }
  }

  *#start(index: number, block: Record<string, unknown>): Generator<ProviderEvent> {
    switch (block.type) {
      case 'text': {
        this.#blocks.set(index, { type: 'text' });
        if (typeof block.text === 'string' && block.text !== '') yield { type: 'text', text: block.text };
        return;
      }
      case 'thinking':
        this.#blocks.set(index, {
          type: 'thinking',
          thinking: typeof block.thinking === 'string' ? block.thinking : '',
          signature: typeof block.signature === 'string' ? block.signature : '',
        });
        return;
      case 'redacted_thinking':
        this.#blocks.set(index, { type: 'redacted_thinking', data: String(block.data ?? '') });
        return;
      case 'tool_use': {
        const id = String(block.id ?? '');
        const name = String(block.name ?? '');
        const live = !this.#bridge.isServerFunction(name);
        this.#blocks.set(index, { type: 'tool_use', id, name, json: '', live });
        if (live) yield { type: 'call_start', id, name };
        return;
      }
      default:
        this.#blocks.set(index, { type: 'other' });
    }
  }

  *#delta(index: number, delta: Record<string, unknown>): Generator<ProviderEvent> {
    const block = this.#blocks.get(index);
    if (!block) return;
    if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text !== '') {
      yield { type: 'text', text: delta.text };
    } else if (delta.type === 'thinking_delta' && block.type === 'thinking') {
      block.thinking += String(delta.thinking ?? '');
    } else if (delta.type === 'signature_delta' && block.type === 'thinking') {
      block.signature += String(delta.signature ?? '');
    } else if (delta.type === 'input_json_delta' && block.type === 'tool_use') {
      const fragment = String(delta.partial_json ?? '');
      block.json += fragment;
      if (block.live && fragment !== '') yield { type: 'call_delta', arguments: fragment };
    }
  }

  *#stopBlock(index: number): Generator<ProviderEvent> {
    const block = this.#blocks.get(index);
    this.#blocks.delete(index);
    if (!block) return;
    if (block.type === 'thinking') {
      yield {
        type: 'thought',
        ...(block.signature ? { signature: sealSignature('anthropic', block.signature) } : {}),
        ...(block.thinking ? { summary: [{ type: 'text', text: block.thinking }] } : {}),
      };
    } else if (block.type === 'redacted_thinking') {
      yield { type: 'thought', signature: sealSignature('anthropic', block.data, 'redacted') };
    } else if (block.type === 'tool_use') {
      const args = parseCallArguments(block.json, {
        provider: this.#provider,
        name: block.name,
        field: 'input',
      });
      if (block.live) yield { type: 'call_end', arguments: args };
      else
        yield {
          type: 'item',
          item: this.#bridge.toStep({ id: block.id, name: block.name, arguments: args }),
        };
    }
  }

  *#addUsage(usage: Record<string, unknown> | undefined): Generator<ProviderEvent> {
    if (!usage) return;
    for (const [key, value] of Object.entries(usage)) if (typeof value === 'number') this.#usage[key] = value;
    yield { type: 'usage', usage: toUsage(this.#usage) };
  }
}

/**
 * Messages usage → Interactions usage. Claude counts cached input apart (`cache_read_input_tokens`, and
 * `cache_creation_input_tokens` for what it wrote to the cache): the input total is all three; thinking is
 * part of `output_tokens`, with no separate count.
 */
export function toUsage(u: Record<string, number>): Usage {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const cached = num(u.cache_read_input_tokens);
  const input = num(u.input_tokens) + cached + num(u.cache_creation_input_tokens);
  const output = num(u.output_tokens);
  return {
    total_input_tokens: input,
    total_cached_tokens: cached,
    total_output_tokens: output,
    total_tokens: input + output,
  };
}
