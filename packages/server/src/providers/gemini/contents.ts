/**
 * The conversation (history, input, this turn's steps) as Gemini `contents`: user input with its media as
 * `inlineData` / `fileData`, the model's turns with their thought signatures back on the exact parts that
 * carried them, `functionCall` / `functionResponse` for client functions and for the server tools offered as
 * functions, and — when Gemini runs its own built-ins — `executableCode` / `codeExecutionResult` parts.
 *
 * Signatures: only Gemini's own are sent (see shared/signatures.ts), byte for byte. A step whose first function
 * call has none (it came from another provider, or from a client that dropped it) gets the placeholder Gemini
 * documents for history it did not produce, as Gemini 3 refuses an unsigned call in the current turn.
 */
import type { Item, MediaContent } from '@interplay/protocol';
import { asFunctionCall, asFunctionResult } from '../shared/builtin-functions.ts';
import type { MediaInput, ReadyMedia } from '../shared/media-input.ts';
import { openSignature } from '../shared/signatures.ts';

export type GeminiPart = Record<string, unknown> & { thoughtSignature?: string };

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

/**
 * Gemini's documented placeholder for a function call it did not produce (ai.google.dev thought-signatures,
 * "FAQs": history from another model, or injected by hand).
 */
export const FOREIGN_CALL_SIGNATURE = 'skip_thought_signature_validator';

export interface ContentsOptions {
  media: MediaInput;
  /** Call types Gemini ran itself (`code_execution_call`, …): replayed in Gemini's own form, not as functions. */
  upstreamCalls: ReadonlySet<string>;
  signal: AbortSignal;
}

type Group = 'user' | 'model' | 'responses';

export async function toContents(items: readonly Item[], options: ContentsOptions): Promise<GeminiContent[]> {
  const contents: GeminiContent[] = [];
  const groups: Group[] = [];
  const callNames = new Map<string, string>();
  /** A signature that belongs on the next part of the model's turn (kind `next`). */
  let carried: string | undefined;
  const push = (group: Group, ...parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    if (group === 'model' && carried !== undefined) {
      // It was received on the answer's first part (text or media) right after the thought: back there.
      const first = parts[0]!;
      const answerPart =
        first.text !== undefined || first.inlineData !== undefined || first.fileData !== undefined;
      if (answerPart && first.thoughtSignature === undefined) first.thoughtSignature = carried;
      carried = undefined;
    }
    if (groups.at(-1) === group) contents.at(-1)!.parts.push(...parts);
    else {
      contents.push({ role: group === 'model' ? 'model' : 'user', parts });
      groups.push(group);
    }
  };
  const signatureOf = (item: Item) => openSignature('gemini', item.signature);
  for (const item of items) {
    if (item.type === 'user_input') {
      carried = undefined;
      push('user', ...(await mediaParts(item.content ?? [], options)));
      continue;
    }
    if (item.type === 'thought') {
      const sig = signatureOf(item);
      if (!sig) continue; // another provider's reasoning, or none: nothing Gemini can read
      if (sig.kind === 'next') carried = sig.raw;
      else push('model', { text: summaryText(item), thought: true, thoughtSignature: sig.raw });
      continue;
    }
    if (item.type === 'model_output') {
      push('model', ...(await mediaParts(item.content ?? [], options)));
      continue;
    }
    if (options.upstreamCalls.has(item.type)) {
      const part = upstreamCallPart(item);
      const sig = signatureOf(item);
      if (part) push('model', sig ? { ...part, thoughtSignature: sig.raw } : part);
      continue;
    }
    if (options.upstreamCalls.has(item.type.replace(/_result$/, '_call'))) {
      const part = upstreamResultPart(item);
      if (part) push('model', part);
      continue;
    }
    const call = asFunctionCall(item);
    if (call) {
      callNames.set(call.id, call.name);
      const sig = signatureOf(item);
      push('model', {
        functionCall: { ...(isOwnId(call.id) ? { id: call.id } : {}), name: call.name, args: call.arguments },
        ...(sig ? { thoughtSignature: sig.raw } : {}),
      });
      continue;
    }
    const result = asFunctionResult(item);
    if (result) {
      const name = result.name ?? callNames.get(result.callId) ?? 'function';
      const response = result.isError ? { error: result.text } : { result: result.text };
      push('responses', {
        functionResponse: { ...(isOwnId(result.callId) ? { id: result.callId } : {}), name, response },
      });
      // Images a tool returned: beside its response, for the model to look at.
      push('responses', ...(await mediaParts(result.media, options)));
    }
    // Other steps (another provider's server-side records): nothing Gemini can read.
  }
  signForeignCalls(contents, groups);
  return contents;
}

/** Ids this server made up for Gemini's unnamed calls are not sent back (Gemini never saw them). */
export const GENERATED_ID_PREFIX = 'gemini_call_';

function isOwnId(id: string): boolean {
  return id !== '' && !id.startsWith(GENERATED_ID_PREFIX);
}

/**
 * In the current turn (after the last user message with content of its own), the first function call of each
 * model step must be signed: an unsigned one (from another provider) gets Gemini's documented placeholder.
 */
function signForeignCalls(contents: GeminiContent[], groups: readonly Group[]): void {
  const turnStart = groups.lastIndexOf('user');
  for (let i = turnStart + 1; i < contents.length; i++) {
    if (groups[i] !== 'model') continue;
    const calls = contents[i]!.parts.filter((p) => p.functionCall !== undefined);
    if (calls.length > 0 && calls.every((p) => p.thoughtSignature === undefined)) {
      calls[0]!.thoughtSignature = FOREIGN_CALL_SIGNATURE;
    }
  }
}

function summaryText(item: Item): string {
  const summary = item.summary;
  if (typeof summary === 'string') return summary;
  if (!Array.isArray(summary)) return '';
  return summary.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

async function mediaParts(content: readonly MediaContent[], options: ContentsOptions): Promise<GeminiPart[]> {
  const parts: GeminiPart[] = [];
  for (const part of content) {
    if (part.type === 'text') {
      if (part.text !== '') parts.push({ text: part.text });
      continue;
    }
    parts.push(wirePart(await options.media.prepare(part, options.signal)));
  }
  return parts;
}

function wirePart(ready: ReadyMedia): GeminiPart {
  if (ready.kind === 'data') return { inlineData: { mimeType: ready.mimeType, data: ready.data } };
  return { fileData: { ...(ready.mimeType ? { mimeType: ready.mimeType } : {}), fileUri: ready.uri } };
}

function upstreamCallPart(item: Item): GeminiPart | undefined {
  if (item.type !== 'code_execution_call') return undefined; // search and URL reads stay inside Gemini's turn
  const args = (item.arguments ?? {}) as { language?: unknown; code?: unknown };
  return {
    executableCode: {
      language: String(args.language ?? 'python').toUpperCase(),
      code: typeof args.code === 'string' ? args.code : '',
    },
  };
}

function upstreamResultPart(item: Item): GeminiPart | undefined {
  if (item.type !== 'code_execution_result') return undefined;
  const output = typeof item.result === 'string' ? item.result : JSON.stringify(item.result ?? '');
  return {
    codeExecutionResult: { outcome: item.is_error ? 'OUTCOME_FAILED' : 'OUTCOME_OK', output },
  };
}
