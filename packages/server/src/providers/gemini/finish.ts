/**
 * How a Gemini answer ended, as the turn's outcome: a blocked prompt (`promptFeedback.blockReason`) or a
 * safety stop fails the turn with code `safety` and the reason; `MAX_TOKENS` and recitation end it
 * `incomplete` with the reason, keeping what was written; a malformed function call fails it
 * (`malformed_function_call`).
 */
import { InteractionsError } from '@interplay/protocol';
import { UpstreamError } from '../shared/upstream-error.ts';

const SAFETY = new Set([
  'SAFETY',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
]);
const MALFORMED = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);
const DONE = new Set(['STOP', 'FINISH_REASON_UNSPECIFIED']);

/** Throws for a prompt Gemini refused to answer. */
export function checkPromptFeedback(provider: string, feedback: unknown): void {
  const reason = (feedback as { blockReason?: unknown } | undefined)?.blockReason;
  if (typeof reason !== 'string' || reason === 'BLOCK_REASON_UNSPECIFIED') return;
  throw new UpstreamError(
    'safety',
    `The model provider '${provider}' blocked the prompt (blockReason ${reason}).`,
    { provider },
  );
}

/** The `incomplete` reason for a finish reason, undefined for a normal end; throws for a failing one. */
export function finishOutcome(provider: string, reason: string | undefined): string | undefined {
  if (reason === undefined || DONE.has(reason)) return undefined;
  if (SAFETY.has(reason)) {
    throw new UpstreamError(
      'safety',
      `The model provider '${provider}' stopped the answer for safety (finishReason ${reason}).`,
      { provider },
    );
  }
  if (MALFORMED.has(reason)) {
    throw new InteractionsError(
      'malformed_function_call',
      `The model behind '${provider}' made a function call it could not complete (finishReason ${reason}).`,
    );
  }
  if (reason === 'MAX_TOKENS') return 'the model reached its output-token limit (max_output_tokens)';
  if (reason === 'RECITATION' || reason === 'IMAGE_RECITATION') {
    return `the model stopped: its answer recited a source too closely (finishReason ${reason})`;
  }
  return `the model stopped early (finishReason ${reason})`;
}
