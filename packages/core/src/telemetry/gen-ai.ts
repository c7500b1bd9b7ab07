/**
 * The tracer of the Runner's spans and how a failure is recorded on them (the conventions' names are
 * `GEN_AI` in @interplay/protocol). Only `@opentelemetry/api` is used: with no SDK registered every span is a
 * no-op, so an application that does not trace pays next to nothing.
 */

import { GEN_AI as ATTR } from '@interplay/protocol';
import { type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';

/**
 * The Runner speaks the Gemini Interactions API, so its calls are `gcp.gemini` whichever server answers
 * (the server's own spans name the provider it routes to).
 */
export const INTERACTIONS_PROVIDER = 'gcp.gemini';

/**
 * The Runner's tracer. The API hands out a proxy that finds an SDK registered later (before the first run or
 * after), and until then answers with no-op spans.
 */
const TRACER = trace.getTracer('@interplay/core');

export function tracer(): Tracer {
  return TRACER;
}

/** The `error.type` of a failure: its stable code when it has one, else its class name. */
export function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code) return code;
  if (error instanceof Error) return error.name === 'Error' ? error.constructor.name : error.name;
  return '_OTHER';
}

/** Mark the span failed with `error.type` (and the error as an exception event). */
export function recordFailure(span: Span, error: unknown, type = errorType(error)): void {
  span.setAttribute(ATTR.errorType, type);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : type });
}
