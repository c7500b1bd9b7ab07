/**
 * The four Interactions routes: create, get (JSON or SSE replay/tail), delete, cancel. Each parses its
 * request, asks the interaction service (service/interaction-service.ts), and frames the answer as JSON or SSE.
 */
import {
  type CanonicalRequest,
  InteractionsError,
  legacyRequestToCanonical,
  parseCreateRequest,
  stepsRequestToCanonical,
} from '@interplay/protocol';
import { withCustomAgent } from '../agents/custom/expand.ts';
import { validateMcpServerTools } from '../mcp/validate.ts';
import { interactionBody } from '../runtime/views.ts';
import type { CreatedRun } from '../service/interaction-service.ts';
import { traceContextOf } from '../telemetry/spans.ts';
import { checkWebhookConfig } from '../webhooks/webhook-config.ts';
import { parseJsonObject, readBody } from './body.ts';
import type { RequestContext } from './context.ts';
import { badRequest, sendError, sendJson } from './respond.ts';
import { SseWriter } from './sse-writer.ts';
import { pipeEvents } from './stream-response.ts';

/** A boolean query parameter: absent → `fallback`; `true`/`false`/`1`/`0` in any case; else 400. */
export function boolParam(query: URLSearchParams, name: string, fallback = false): boolean {
  const v = query.get(name);
  if (v === null || v === '') return fallback;
  const s = v.toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw badRequest(`Query parameter '${name}' must be true or false, got '${v}'.`, name);
}

/** The body as the canonical request: validated against the caller's revision, errors naming the field. */
function canonicalRequest(ctx: RequestContext, body: Record<string, unknown>): CanonicalRequest {
  let parsed: ReturnType<typeof parseCreateRequest>;
  try {
    parsed = parseCreateRequest(body, ctx.revision);
  } catch (err) {
    // A validator crash on strange input is our bug, but still the client's request that caused it.
    ctx.services.logger.error({ err }, 'request validation threw');
    throw badRequest('The request could not be validated.');
  }
  if (!parsed.ok) throw parsed.error;
  // Hosted MCP declarations are checked now (400 naming the field), not when the model first calls them.
  validateMcpServerTools(parsed.value.tools);
  return ctx.revision === 'legacy'
    ? legacyRequestToCanonical(parsed.value as Parameters<typeof legacyRequestToCanonical>[0])
    : stepsRequestToCanonical(parsed.value as Parameters<typeof stepsRequestToCanonical>[0]);
}

export async function handleCreate(ctx: RequestContext): Promise<void> {
  const { services, res } = ctx;
  const body = parseJsonObject(await readBody(ctx.req, services.options.bodyLimit));
  const request = await withCustomAgent(canonicalRequest(ctx, body), ctx.owner, services.agents);
  const stream = request.stream === true || boolParam(ctx.query, 'stream');
  checkWebhookConfig(request, services.webhooks);
  const run = await services.interactions.create({
    owner: ctx.owner,
    request,
    stream,
    sentInput: body.input,
    trace: traceContextOf(ctx.req.headers),
  });
  // Nobody else can see a store:false run: when its client goes away, stop it. (A stored one goes on.)
  const stopWhenGone = request.store === false;

  // Returned, not awaited (here and in streamRun): an async function waiting on its last call stays in memory
  // for the stream's whole length, and every live stream's frames are copied by each scavenge.
  if (stream) return streamRun(ctx, run, stopWhenGone);
  if (run.background) {
    // As created, whatever the run has done since: the caller follows it with GET or a stream.
    sendJson(res, 200, interactionBody(run.row, ctx.revision, false));
    return;
  }
  const onClose = stopWhenGone
    ? () => {
        if (!res.writableEnded) void run.cancel();
      }
    : undefined;
  if (onClose) res.once('close', onClose);
  const { record } = await run.done;
  if (onClose) res.off('close', onClose);
  if (res.destroyed) return;
  if (record.status === 'failed' && record.error) {
    sendError(res, new InteractionsError(record.error.code, record.error.message));
    return;
  }
  sendJson(res, 200, interactionBody(record, ctx.revision, false));
}

async function streamRun(ctx: RequestContext, run: CreatedRun, stopWhenGone: boolean): Promise<void> {
  await modelRequestSent();
  const writer = new SseWriter(ctx.res, { keepAliveMs: ctx.services.options.keepAliveMs });
  const stop = new AbortController();
  writer.onClose(() => {
    // A stream that was answered to its end has nothing left to stop (and an abort costs a DOMException).
    if (ctx.res.writableFinished) return;
    stop.abort();
    if (stopWhenGone) void run.cancel();
  });
  // A stored run is followed wherever it runs (with replicas it may move); a store:false one lives here only.
  const events = stopWhenGone
    ? run.events(0, stop.signal)
    : ctx.services.interactions.follow(run.row, 0, stop.signal);
  return pipeEvents(writer, events, ctx.revision);
}

/**
 * Resolves once the model request of a run started in this tick is on the wire, so the response head and
 * first events do not go before it: undici writes a request on a reused keep-alive connection in the check
 * phase (it first reads what the idle socket may have received, GHSA-35p6-xmwp-9g52), and a write of ours
 * queued ahead of it would add a TCP write to the time to the first token. A run's start up to its model
 * request is microtasks only, so once they have drained (nextTick) undici's immediate is queued, and ours
 * runs after it. When the start waits for I/O first (a media fetch), the head simply goes first.
 */
function modelRequestSent(): Promise<void> {
  return new Promise((resolve) => process.nextTick(() => setImmediate(resolve)));
}

export async function handleGet(ctx: RequestContext): Promise<void> {
  const { services, query } = ctx;
  const id = ctx.route.id ?? '';
  const stream = boolParam(query, 'stream');
  const includeInput = boolParam(query, 'include_input');
  if (!stream) {
    const record = await services.interactions.get(ctx.owner, id);
    // Steps GET shows the full timeline (user_input first); legacy echoes `input` only when asked.
    sendJson(ctx.res, 200, interactionBody(record, ctx.revision, ctx.revision === 'steps' || includeInput));
    return;
  }
  const stop = new AbortController();
  const lastEventId = query.get('last_event_id');
  const legacy = ctx.revision === 'legacy';
  const { events, resume } = await services.interactions.events(ctx.owner, id, {
    ...(lastEventId === null || lastEventId === '' ? {} : { lastEventId }),
    // The legacy converter is stateful: it reads the log from its start and skips what precedes the cursor.
    fromStart: legacy,
    signal: stop.signal,
  });
  const writer = new SseWriter(ctx.res, { keepAliveMs: services.options.keepAliveMs });
  writer.onClose(() => stop.abort());
  await pipeEvents(writer, events, ctx.revision, legacy ? resume : undefined);
}

export async function handleDelete(ctx: RequestContext): Promise<void> {
  await ctx.services.interactions.delete(ctx.owner, ctx.route.id ?? '');
  sendJson(ctx.res, 200, {});
}

export async function handleCancel(ctx: RequestContext): Promise<void> {
  ctx.req.resume(); // the SDKs send no body; ignore one if present
  const final = await ctx.services.interactions.cancel(ctx.owner, ctx.route.id ?? '');
  sendJson(ctx.res, 200, interactionBody(final, ctx.revision, false));
}
