/**
 * `streamGenerateContent` chunks (`GenerateContentResponse` objects) → provider events.
 *
 * - Thought parts (`thought: true`) gather into one thought, given out when the answer moves on.
 * - `thoughtSignature`: on a thought part or a function call it stays with that step; on the answer's first
 *   text or media part (before anything of the answer was streamed) it goes on a thought step just before the
 *   answer (kind `next`: replayed on that part). Gemini also signs the last part of an answer without calls;
 *   arriving after the answer streamed, that one has no step to go on and is not kept (Gemini documents it as
 *   optional to return).
 * - `functionCall` (Gemini sends each whole): a client function as `call_start` / `call_delta` / `call_end`,
 *   a server function as its call step. In a parallel batch only the first carries the signature, as sent.
 * - `executableCode` / `codeExecutionResult`: Gemini's own code execution, recorded as run upstream.
 * - `inlineData`: generated images and speech, as media.
 * - Grounding and URL-context metadata: see grounding.ts. While Gemini's own search or URL reading is on, the
 *   answer is held to the end, so its search steps come before it, as the Interactions API orders them.
 */
import { InteractionsError, type Usage } from '@interplay/protocol';
import { newCallId } from '../../runtime/ids.ts';
import type { MediaOutput, ProviderEvent } from '../provider.ts';
import type { FunctionBridge } from '../shared/builtin-functions.ts';
import { sealSignature } from '../shared/signatures.ts';
import { UpstreamError, upstreamMessage } from '../shared/upstream-error.ts';
import { GENERATED_ID_PREFIX } from './contents.ts';
import { checkPromptFeedback, finishOutcome } from './finish.ts';
import { type GroundingMetadata, groundingSteps, type UrlContextMetadata } from './grounding.ts';

interface Part {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name?: string; args?: Record<string, unknown> };
  inlineData?: { mimeType?: string; data?: string };
  executableCode?: { language?: string; code?: string };
  codeExecutionResult?: { outcome?: string; output?: string };
}

export interface ReaderOptions {
  bridge: FunctionBridge;
  provider: string;
  /** Gemini's own search or URL reading is offered: hold the answer until its metadata arrives. */
  holdForGrounding: boolean;
}

export class StreamReader {
  readonly #bridge: FunctionBridge;
  readonly #provider: string;
  readonly #hold: boolean;
  #thought = '';
  #thoughtSignature: string | undefined;
  /** Something of the answer (text, media) went out since the last other step. */
  #answering = false;
  #lastCodeCall = '';
  #finish: string | undefined;
  #search: GroundingMetadata | undefined;
  #urls: UrlContextMetadata | undefined;
  readonly #held: ProviderEvent[] = [];

  constructor(options: ReaderOptions) {
    this.#bridge = options.bridge;
    this.#provider = options.provider;
    this.#hold = options.holdForGrounding;
  }

  /** The events one chunk adds (only usage while the answer is held). */
  *take(chunk: Record<string, unknown>): Generator<ProviderEvent> {
    for (const event of this.#read(chunk)) {
      if (this.#hold && event.type !== 'usage') this.#held.push(event);
      else yield event;
    }
  }

  /** What is still pending when the stream ends, and how the answer finished. */
  *end(): Generator<ProviderEvent> {
    const tail = [...this.#flushThought()];
    const { items, citations } = groundingSteps(this.#search, this.#urls, newId);
    const events = this.#hold ? [...this.#held, ...tail] : tail;
    const steps: ProviderEvent[] = items.map((item) =>
      item.type.endsWith('_call') ? { type: 'item', item, executed: true } : { type: 'item', item },
    );
    const firstText = events.findIndex((e) => e.type === 'text');
    if (firstText < 0) {
      yield* events;
      yield* steps;
    } else {
      yield* events.slice(0, firstText);
      yield* steps;
      let lastText = firstText;
      while (events[lastText + 1]?.type === 'text') lastText += 1;
      for (const [i, event] of events.slice(firstText).entries()) {
        if (i + firstText === lastText && citations.length > 0 && event.type === 'text') {
          yield { ...event, annotations: [...(event.annotations ?? []), ...citations] };
        } else yield event;
      }
    }
    const incomplete = finishOutcome(this.#provider, this.#finish);
    if (incomplete !== undefined) yield { type: 'incomplete', reason: incomplete };
  }

  *#read(chunk: Record<string, unknown>): Generator<ProviderEvent> {
    if (chunk.error !== undefined) {
      throw new UpstreamError(
        'upstream_error',
        `The model provider '${this.#provider}' failed while answering: ${upstreamMessage(JSON.stringify(chunk))}`,
        { provider: this.#provider },
      );
    }
    checkPromptFeedback(this.#provider, chunk.promptFeedback);
    const candidates = Array.isArray(chunk.candidates) ? (chunk.candidates as Record<string, unknown>[]) : [];
    const candidate = candidates.find((c) => (c.index ?? 0) === 0);
    if (candidate) {
      const content = (candidate.content ?? {}) as { parts?: Part[] };
      for (const part of content.parts ?? []) yield* this.#part(part);
      if (candidate.groundingMetadata) this.#search = candidate.groundingMetadata as GroundingMetadata;
      if (candidate.urlContextMetadata) this.#urls = candidate.urlContextMetadata as UrlContextMetadata;
      if (typeof candidate.finishReason === 'string') this.#finish = candidate.finishReason;
    }
    if (chunk.usageMetadata && typeof chunk.usageMetadata === 'object') {
      yield { type: 'usage', usage: toUsage(chunk.usageMetadata as Record<string, unknown>) };
    }
  }

  *#part(part: Part): Generator<ProviderEvent> {
    const signature = part.thoughtSignature || undefined;
    if (part.thought === true) {
      if (part.text) this.#thought += part.text;
      if (signature) {
        if (this.#thoughtSignature !== undefined) yield* this.#flushThought();
        this.#thoughtSignature = sealSignature('gemini', signature);
      }
      return;
    }
    if (part.functionCall) {
      yield* this.#flushThought();
      this.#answering = false;
      yield* this.#call(part.functionCall, signature);
      return;
    }
    if (part.executableCode) {
      yield* this.#flushThought();
      this.#answering = false;
      this.#lastCodeCall = newId();
      const { language = 'PYTHON', code = '' } = part.executableCode;
      yield {
        type: 'item',
        executed: true,
        item: {
          type: 'code_execution_call',
          id: this.#lastCodeCall,
          arguments: { language: language.toLowerCase(), code },
          ...(signature ? { signature: sealSignature('gemini', signature) } : {}),
        },
      };
      return;
    }
    if (part.codeExecutionResult) {
      yield* this.#flushThought();
      this.#answering = false;
      const { outcome, output = '' } = part.codeExecutionResult;
      yield {
        type: 'item',
        item: {
          type: 'code_execution_result',
          call_id: this.#lastCodeCall,
          result: output,
          ...(outcome && outcome !== 'OUTCOME_OK' ? { is_error: true } : {}),
        },
      };
      return;
    }
    const media = part.inlineData ? toMedia(part.inlineData) : undefined;
    if (part.text === undefined && !media) return;
    if (signature && !this.#answering) {
      // The answer's first part carries the signature: it goes on a thought step just before the answer.
      if (this.#thoughtSignature !== undefined) yield* this.#flushThought();
      this.#thoughtSignature = sealSignature('gemini', signature, 'next');
    }
    yield* this.#flushThought();
    if (part.text) {
      this.#answering = true;
      yield { type: 'text', text: part.text };
    }
    if (media) {
      this.#answering = true;
      yield { type: 'media', content: media };
    }
  }

  *#call(call: NonNullable<Part['functionCall']>, signature: string | undefined): Generator<ProviderEvent> {
    const name = call.name ?? '';
    if (!name) {
      throw new UpstreamError(
        'upstream_error',
        `The model provider '${this.#provider}' sent a function call without a name.`,
        { provider: this.#provider },
      );
    }
    const args = call.args ?? {};
    if (typeof args !== 'object' || Array.isArray(args)) {
      throw new InteractionsError(
        'malformed_function_call',
        `The model behind '${this.#provider}' called '${name}' with arguments that are not an object.`,
      );
    }
    const id = call.id || newId();
    const sealed = signature ? sealSignature('gemini', signature) : undefined;
    if (this.#bridge.isServerFunction(name)) {
      const step = this.#bridge.toStep({ id, name, arguments: args });
      yield { type: 'item', item: sealed ? { ...step, signature: sealed } : step };
      return;
    }
    yield { type: 'call_start', id, name, ...(sealed ? { signature: sealed } : {}) };
    yield { type: 'call_delta', arguments: JSON.stringify(args) };
    yield { type: 'call_end', arguments: args };
  }

  *#flushThought(): Generator<ProviderEvent> {
    if (this.#thought === '' && this.#thoughtSignature === undefined) return;
    const summary = this.#thought === '' ? undefined : [{ type: 'text' as const, text: this.#thought }];
    yield {
      type: 'thought',
      ...(this.#thoughtSignature ? { signature: this.#thoughtSignature } : {}),
      ...(summary ? { summary } : {}),
    };
    this.#thought = '';
    this.#thoughtSignature = undefined;
    this.#answering = false;
  }
}

function newId(): string {
  return newCallId(GENERATED_ID_PREFIX);
}

/** A generated image or speech clip. Speech comes as raw PCM (`audio/L16;codec=pcm;rate=24000`). */
function toMedia(data: NonNullable<Part['inlineData']>): MediaOutput | undefined {
  const mimeType = data.mimeType ?? 'application/octet-stream';
  if (!data.data) return undefined;
  if (mimeType.startsWith('image/')) return { type: 'image', data: data.data, mime_type: mimeType };
  if (mimeType.startsWith('audio/')) {
    const rate = /rate=(\d+)/.exec(mimeType)?.[1];
    return { type: 'audio', data: data.data, mime_type: mimeType, ...(rate ? { rate: Number(rate) } : {}) };
  }
  if (mimeType.startsWith('video/')) return { type: 'video', data: data.data, mime_type: mimeType };
  return { type: 'document', data: data.data, mime_type: mimeType };
}

/** Gemini usage → Interactions usage (output excludes thought tokens, which Gemini counts apart). */
export function toUsage(u: Record<string, unknown>): Usage {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const input = num(u.promptTokenCount);
  const output = num(u.candidatesTokenCount);
  const thought = num(u.thoughtsTokenCount);
  const toolUse = num(u.toolUsePromptTokenCount);
  return {
    total_input_tokens: input,
    total_output_tokens: output,
    total_thought_tokens: thought,
    total_cached_tokens: num(u.cachedContentTokenCount),
    ...(toolUse ? { total_tool_use_tokens: toolUse } : {}),
    total_tokens: num(u.totalTokenCount) || input + output + thought + toolUse,
  };
}
