/**
 * The spans of one run: `invoke_agent` for the run, a `chat` child for each model call and an `execute_tool`
 * child for each client tool call (OpenTelemetry GenAI conventions). The run's loop is an async generator,
 * and the context active while it is suspended at a `yield` is its reader's, not the run's; so the run's
 * context is kept here and every child is started under it explicitly, and each model call and tool runs
 * inside its own span's context (the client sends it on as `traceparent`; a tool's own spans nest under it).
 *
 * With no SDK registered the run's span carries no trace (its context is invalid); its steps then get no
 * spans at all, so an untraced run pays one no-op span and a check per step (bench/RESULTS.md,
 * "OpenTelemetry, off").
 */
import {
  GEN_AI as ATTR,
  type CanonicalInteraction,
  type CanonicalRequest,
  captureGenAiContent as captureContent,
  genAiMessages,
  type Usage,
  genAiUsage as usageAttributes,
} from '@interplay/protocol';
import { type Attributes, type Context, context, type Span, SpanKind, trace } from '@opentelemetry/api';
import { ToolInterruption } from '../run/tool-interruption.ts';
import type { ToolCall, ToolResult } from '../run/types.ts';
import { INTERACTIONS_PROVIDER, recordFailure, tracer } from './gen-ai.ts';

export interface RunTraceStart {
  /** The context the run was started in: its span is the run's parent. */
  parent: Context;
  model: string | undefined;
  agent: string | undefined;
  runId: string;
  resumed: boolean;
}

/** How a run ended, for its span. */
export interface RunTraceEnd {
  usage: Usage;
  lastInteractionId: string | undefined;
  finishReason?: string;
  error?: unknown;
}

/** The span of one model call, as the loop uses it. */
export interface ModelCallSpan {
  /** Run `fn` (the request to the server) in this call's context, so the client sends it as `traceparent`. */
  within<T>(fn: () => T): T;
  /** End the span with the interaction the call returned, or the error it failed with (once). */
  end(outcome: { interaction: CanonicalInteraction } | { error: unknown } | undefined): void;
}

/** A model call of an untraced run. */
const UNTRACED_CALL: ModelCallSpan = { within: (fn) => fn(), end: () => {} };

export class RunTrace {
  readonly #span: Span;
  readonly #context: Context;
  /** Whether the run's span belongs to a trace; if not, its steps get no spans. */
  readonly #traced: boolean;
  #ended = false;

  constructor(start: RunTraceStart) {
    const attributes: Attributes = {
      [ATTR.operation]: 'invoke_agent',
      [ATTR.provider]: INTERACTIONS_PROVIDER,
      'interplay.run.id': start.runId,
      'interplay.run.resumed': start.resumed,
    };
    if (start.model) attributes[ATTR.requestModel] = start.model;
    if (start.agent) attributes[ATTR.agentName] = start.agent;
    const name = start.agent ? `invoke_agent ${start.agent}` : 'invoke_agent';
    this.#span = tracer().startSpan(name, { kind: SpanKind.INTERNAL, attributes }, start.parent);
    this.#traced = traced(this.#span);
    this.#context = this.#traced ? trace.setSpan(start.parent, this.#span) : start.parent;
  }

  /** Start the span of one model call (a child of the run's). */
  modelCall(request: CanonicalRequest): ModelCallSpan {
    return this.#traced ? new ModelCallTrace(this.#context, request) : UNTRACED_CALL;
  }

  /** Run one tool call inside its `execute_tool` span; a failed result marks the span failed. */
  toolCall(call: ToolCall, execute: () => Promise<ToolResult>): Promise<ToolResult> {
    if (!this.#traced) return execute();
    const attributes: Attributes = {
      [ATTR.operation]: 'execute_tool',
      [ATTR.toolName]: call.name,
      [ATTR.toolCallId]: call.id,
      [ATTR.toolType]: 'function',
    };
    const span = tracer().startSpan(
      `execute_tool ${call.name}`,
      { kind: SpanKind.INTERNAL, attributes },
      this.#context,
    );
    if (!traced(span)) return execute();
    return recordToolCall(span, inside(this.#context, span), call, execute);
  }

  /** End the run's span (once; later calls do nothing). */
  end(end: RunTraceEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    const span = this.#span;
    if (span.isRecording()) {
      span.setAttributes(usageAttributes(end.usage));
      if (end.lastInteractionId) span.setAttribute(ATTR.responseId, end.lastInteractionId);
      if (end.finishReason) span.setAttribute(ATTR.finishReasons, [end.finishReason]);
      if (end.error !== undefined) recordFailure(span, end.error);
    }
    span.end();
  }
}

/** The `chat` span of one model call: the call runs `within` it; `end` records the interaction or failure. */
class ModelCallTrace implements ModelCallSpan {
  readonly #span: Span;
  readonly #context: Context | undefined;
  #ended = false;

  constructor(parent: Context, request: CanonicalRequest) {
    const model = request.model ?? request.agent;
    const attributes: Attributes = { [ATTR.operation]: 'chat', [ATTR.provider]: INTERACTIONS_PROVIDER };
    if (request.model) attributes[ATTR.requestModel] = request.model;
    const span = tracer().startSpan(
      model ? `chat ${model}` : 'chat',
      { kind: SpanKind.CLIENT, attributes },
      parent,
    );
    this.#span = span;
    if (!traced(span)) return;
    this.#context = inside(parent, span);
    if (!span.isRecording()) return;
    if (request.agent) span.setAttribute(ATTR.agentName, request.agent);
    if (request.previous_interaction_id)
      span.setAttribute(ATTR.conversationId, request.previous_interaction_id);
    if (captureContent()) {
      span.setAttribute(ATTR.inputMessages, json(genAiMessages(request.input)));
      if (request.system_instruction)
        span.setAttribute(
          ATTR.systemInstructions,
          json([{ type: 'text', content: request.system_instruction }]),
        );
    }
  }

  within<T>(fn: () => T): T {
    return this.#context ? context.with(this.#context, fn) : fn();
  }

  end(outcome: { interaction: CanonicalInteraction } | { error: unknown } | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    const span = this.#span;
    if (span.isRecording() && outcome) {
      if ('interaction' in outcome) {
        const { interaction } = outcome;
        span.setAttribute(ATTR.responseId, interaction.id);
        span.setAttribute(ATTR.finishReasons, [interaction.status]);
        if (interaction.model) span.setAttribute(ATTR.responseModel, interaction.model);
        span.setAttributes(usageAttributes(interaction.usage));
        if (captureContent()) span.setAttribute(ATTR.outputMessages, json(genAiMessages(interaction.output)));
        if (interaction.status === 'failed') {
          const code = interaction.errors?.[0]?.code;
          recordFailure(span, interaction.errors?.[0], typeof code === 'string' ? code : 'failed');
        }
      } else recordFailure(span, outcome.error);
    }
    span.end();
  }
}

async function recordToolCall(
  span: Span,
  spanContext: Context,
  call: ToolCall,
  execute: () => Promise<ToolResult>,
): Promise<ToolResult> {
  const content = span.isRecording() && captureContent();
  if (content) span.setAttribute(ATTR.toolArguments, json(call.arguments));
  try {
    const result = await context.with(spanContext, execute);
    if (content) span.setAttribute(ATTR.toolResult, json(result.result));
    if (result.isError) recordFailure(span, result.error, result.errorKind ?? 'tool_error');
    return result;
  } catch (error) {
    // A sub-agent that paused for approval inside the tool is not a failure: the call resumes later.
    if (error instanceof ToolInterruption) span.setAttribute('interplay.tool.paused', true);
    else recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Whether the span belongs to a trace (an SDK made it, sampled or not): only then is it entered. */
function traced(span: Span): boolean {
  return trace.isSpanContextValid(span.spanContext());
}

/** The context with `span` as the active span, or `parent` itself when the span carries no trace. */
function inside(parent: Context, span: Span): Context {
  return traced(span) ? trace.setSpan(parent, span) : parent;
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return String(value);
  }
}
