/**
 * The server's spans, per the OpenTelemetry GenAI conventions: `invoke_agent` for each interaction (its
 * whole turn, a background one included, until its end is stored), a `chat` child for each provider call and
 * an `execute_tool` child for each server-executed tool call. The interaction's span continues the trace the
 * client sent (`traceparent`, read with the global propagator); its children find it as the active context,
 * which an SDK's context manager (AsyncLocalStorage in Node) carries across the turn's awaits. Only
 * `@opentelemetry/api` is used: with no SDK registered every span is a no-op that carries no trace, and is
 * then neither entered nor given more attributes. When no SDK is registered and the parent context carries
 * no span either (the usual case of a server run without telemetry), a span could only be that no-op: it is
 * not started at all, nor are its name and attributes built ({@link mayTrace}).
 */
import {
  type CanonicalRequest,
  captureGenAiContent,
  GEN_AI,
  genAiMessages,
  genAiUsage,
  type Item,
  type Usage,
} from '@interplay/protocol';
import {
  type Attributes,
  type Context,
  context,
  ProxyTracerProvider,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { InteractionRecord } from '../store/store.ts';

/*
 * Span attributes are assigned one by one rather than written as an object literal keyed by the conventions'
 * names: V8 defines each computed key of a literal (and every key after one) through a runtime call, ~1,400
 * instructions apiece, and the spans of a create had eight of them.
 */

/** A proxy: it finds an SDK registered after this module loaded, and gives no-op spans until then. */
const TRACER = trace.getTracer('@interplay/server');
const tracer = () => TRACER;

/** What the API's global tracer provider delegates to until an SDK registers a provider of its own. */
const NO_SDK = new ProxyTracerProvider().getDelegate();

/**
 * Whether a span started under `parent` could be more than a no-op: an SDK registered a tracer provider (it
 * may be registered after this module loaded, so this is asked for every span), or `parent` carries a span (a
 * caller's trace extracted by a registered propagator, which a no-op span passes on). Otherwise the API's
 * tracer gives a span with no trace, which callers neither enter nor describe: skipping it skips its
 * attributes, its name and the API's own checks.
 */
function mayTrace(parent: Context): boolean {
  const provider = trace.getTracerProvider();
  // A provider that is not this copy's proxy was registered through another copy of the API: an SDK's.
  if (!(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NO_SDK) return true;
  return trace.getSpan(parent) !== undefined;
}

/** The trace context a request carries (W3C `traceparent`/`tracestate` with the default propagator). */
export function traceContextOf(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers);
}

/** The conventions' provider name for one of ours (`gemini` is Google's Gemini API: `gcp.gemini`). */
export function providerName(name: string): string {
  return name === 'gemini' ? 'gcp.gemini' : name;
}

/**
 * Start the span of an interaction and run `start` (which starts its turn) inside it; the span ends when
 * `done` settles, with the interaction's final state.
 */
export function traceInteraction<T>(
  parent: Context,
  record: InteractionRecord,
  start: () => T,
  done: (started: T) => Promise<{ record: InteractionRecord }>,
): T {
  if (!mayTrace(parent)) return start();
  const { request } = record;
  const attributes: Attributes = {};
  attributes[GEN_AI.operation] = 'invoke_agent';
  attributes[GEN_AI.responseId] = record.id;
  if (request.model) attributes[GEN_AI.requestModel] = request.model;
  if (request.agent) attributes[GEN_AI.agentName] = request.agent;
  if (record.previousId) attributes[GEN_AI.conversationId] = record.previousId;
  attributes['interplay.interaction.background'] = record.background;
  const span = tracer().startSpan(
    request.agent ? `invoke_agent ${request.agent}` : 'invoke_agent',
    { kind: SpanKind.SERVER, attributes },
    parent,
  );
  if (!traced(span)) return start();
  let started: T;
  try {
    started = context.with(trace.setSpan(parent, span), start);
  } catch (error) {
    fail(span, errorCode(error), String(error));
    span.end();
    throw error;
  }
  done(started).then(
    ({ record: final }) => {
      if (span.isRecording()) {
        span.setAttributes(genAiUsage(final.usage));
        span.setAttribute(GEN_AI.finishReasons, [final.status]);
        if (final.status === 'failed') fail(span, final.error?.code ?? 'failed', final.error?.message);
      }
      span.end();
    },
    (error: unknown) => {
      fail(span, errorCode(error), String(error));
      span.end();
    },
  );
  return started;
}

/** What a provider call's span records of its outcome. */
export interface ProviderCallOutcome {
  usage: Usage;
  /** The items the call produced (recorded only when content is captured). */
  output: readonly Item[];
  /** Its error code when the call failed. */
  failure?: string;
}

/** One provider call inside its `chat` span; `outcome` reads what the span records from its result. */
export function traceProviderCall<T>(
  provider: string,
  request: Pick<CanonicalRequest, 'model' | 'agent' | 'system_instruction'>,
  interactionId: string,
  items: readonly Item[],
  call: () => Promise<T>,
  outcome: (result: T) => ProviderCallOutcome,
): Promise<T> {
  if (!mayTrace(context.active())) return call();
  return tracedProviderCall(provider, request, interactionId, items, call, outcome);
}

/** {@link traceProviderCall} with a span: apart, so an untraced call does not pay for an async wrapper. */
async function tracedProviderCall<T>(
  ...[provider, request, interactionId, items, call, outcome]: Parameters<typeof traceProviderCall<T>>
): Promise<T> {
  const model = request.model ?? request.agent;
  const attributes: Attributes = {};
  attributes[GEN_AI.operation] = 'chat';
  attributes[GEN_AI.provider] = providerName(provider);
  attributes[GEN_AI.responseId] = interactionId;
  if (request.model) attributes[GEN_AI.requestModel] = request.model;
  const span = tracer().startSpan(model ? `chat ${model}` : 'chat', { kind: SpanKind.CLIENT, attributes });
  if (!traced(span)) return call();
  if (span.isRecording() && captureGenAiContent()) {
    span.setAttribute(GEN_AI.inputMessages, JSON.stringify(genAiMessages(items)));
    if (request.system_instruction)
      span.setAttribute(
        GEN_AI.systemInstructions,
        JSON.stringify([{ type: 'text', content: request.system_instruction }]),
      );
  }
  return runInSpan(span, call, (result) => {
    if (!span.isRecording()) return;
    const { usage, output, failure } = outcome(result);
    span.setAttributes(genAiUsage(usage));
    if (captureGenAiContent())
      span.setAttribute(GEN_AI.outputMessages, JSON.stringify(genAiMessages(output)));
    if (failure) fail(span, failure);
  });
}

/** One server tool call inside its `execute_tool` span; an `is_error` result marks the span failed. */
export function traceServerTool(call: Item, run: () => Promise<Item>): Promise<Item> {
  if (!mayTrace(context.active())) return run();
  return tracedServerTool(call, run);
}

async function tracedServerTool(call: Item, run: () => Promise<Item>): Promise<Item> {
  const name = toolName(call);
  const attributes: Attributes = {};
  attributes[GEN_AI.operation] = 'execute_tool';
  attributes[GEN_AI.toolName] = name;
  attributes[GEN_AI.toolType] = call.type === 'function_call' ? 'function' : 'extension';
  if (typeof call.id === 'string') attributes[GEN_AI.toolCallId] = call.id;
  const span = tracer().startSpan(`execute_tool ${name}`, { kind: SpanKind.INTERNAL, attributes });
  if (!traced(span)) return run();
  const content = span.isRecording() && captureGenAiContent();
  if (content) span.setAttribute(GEN_AI.toolArguments, JSON.stringify(call.arguments ?? null));
  return runInSpan(span, run, (result) => {
    if (content)
      span.setAttribute(GEN_AI.toolResult, JSON.stringify(result.result ?? result.content ?? null));
    if (result.is_error === true) fail(span, 'tool_error');
  });
}

/**
 * Runs `body` with `span` as the active span and records its result with `onResult`; a throw (of either)
 * marks the span failed. The span ends either way.
 */
async function runInSpan<T>(span: Span, body: () => Promise<T>, onResult: (result: T) => void): Promise<T> {
  try {
    const result = await context.with(trace.setSpan(context.active(), span), body);
    onResult(result);
    return result;
  } catch (error) {
    fail(span, errorCode(error), String(error));
    throw error;
  } finally {
    span.end();
  }
}

/** A server tool's name: a hosted MCP call names its tool, a built-in its kind (`google_search`, …). */
function toolName(call: Item): string {
  if (typeof call.name === 'string' && call.name) return call.name;
  return call.type.replace(/_call$/, '');
}

/** Whether the span belongs to a trace (an SDK made it): an untraced span is neither entered nor ended. */
function traced(span: Span): boolean {
  return trace.isSpanContextValid(span.spanContext());
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code) return code;
  return error instanceof Error ? error.name : '_OTHER';
}

function fail(span: Span, type: string, message?: string): void {
  span.setAttribute(GEN_AI.errorType, type);
  span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) });
}
