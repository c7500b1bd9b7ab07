/** The four Interactions routes: create, get (JSON or SSE replay/tail), delete, cancel. */
import {
  type CanonicalRequest,
  InteractionsError,
  legacyRequestToCanonical,
  parseCreateRequest,
  stepsRequestToCanonical,
} from '@interplay/protocol';
import { validateAgentRequest } from '../agents/registry.ts';
import { checkFileRefs } from '../files/refs.ts';
import { validateMcpServerTools } from '../mcp/validate.ts';
import { derivedFeed, derivedLog } from '../runtime/derived-log.ts';
import { eventFeed } from '../runtime/event-feed.ts';
import { isoSeconds, newInteractionId, parseEventId } from '../runtime/ids.ts';
import { type Run, shuttingDown } from '../runtime/interaction-runner.ts';
import { dropResentHistory, mayRepeatHistory } from '../runtime/resent-history.ts';
import { interactionBody } from '../runtime/views.ts';
import type { InteractionRecord } from '../store/store.ts';
import { checkWebhookConfig } from '../webhooks/webhook-config.ts';
import { parseJsonObject, readBody } from './body.ts';
import type { RequestContext } from './context.ts';
import { badRequest, notFound, sendError, sendJson } from './respond.ts';
import { SseWriter } from './sse-writer.ts';
import { pipeEvents, type ResumePoint } from './stream-response.ts';

/** A boolean query parameter: absent → `fallback`; `true`/`false`/`1`/`0` in any case; else 400. */
export function boolParam(query: URLSearchParams, name: string, fallback = false): boolean {
  const v = query.get(name);
  if (v === null || v === '') return fallback;
  const s = v.toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw badRequest(`Query parameter '${name}' must be true or false, got '${v}'.`, name);
}

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
  const request =
    ctx.revision === 'legacy'
      ? legacyRequestToCanonical(parsed.value as Parameters<typeof legacyRequestToCanonical>[0])
      : stepsRequestToCanonical(parsed.value as Parameters<typeof stepsRequestToCanonical>[0]);
  // Agent rules (background required; no function tools, system_instruction, …) fail before anything runs.
  const agentProblem = validateAgentRequest(request);
  if (agentProblem) throw agentProblem;
  return request;
}

export async function handleCreate(ctx: RequestContext): Promise<void> {
  const { services, req, res, owner } = ctx;
  const { store, runner, options } = services;
  const body = parseJsonObject(await readBody(req, options.bodyLimit));
  const request = canonicalRequest(ctx, body);
  const persist = request.store !== false;
  const background = request.background === true;
  const stream = request.stream === true || boolParam(ctx.query, 'stream');
  if (background && !persist) {
    throw badRequest(
      "'background' requires a stored interaction: background=true cannot be combined with store=false.",
      'background',
    );
  }
  checkWebhookConfig(request, services.webhooks);
  const previousId = request.previous_interaction_id;
  // The chain cache holds only finished, stored, unexpired interactions of their owner: a hit answers the
  // checks below without reading the store.
  if (previousId !== undefined && !runner.cachedFinished(previousId, owner)) {
    // Finished here but its final state still being written (a stream ends before that write commits): the
    // client has seen it complete, so wait for the write rather than call it in progress.
    const live = runner.get(previousId);
    if (live?.finished) await live.done;
    const previous = await store.getInteraction(previousId, owner);
    if (!previous) {
      throw notFound(`Interaction '${previousId}' was not found.`, 'previous_interaction_id');
    }
    if (previous.status === 'in_progress' || previous.status === 'queued') {
      throw new InteractionsError(
        'failed_precondition',
        `Interaction '${previousId}' is still ${previous.status}; continue from it once it has finished.`,
        { field: 'previous_interaction_id' },
      );
    }
  }
  if (previousId !== undefined && mayRepeatHistory(request.input)) {
    request.input = dropResentHistory(request.input, (await store.loadChain(previousId)).items).input;
  }
  const checkingFiles = checkFileRefs(body.input, owner, store, options.fileActivationMs);
  if (checkingFiles) await checkingFiles;
  if (!runner.accepting) throw shuttingDown();

  const now = Date.now();
  const stamp = isoSeconds(now);
  const record: InteractionRecord = {
    id: newInteractionId(),
    owner,
    status: runner.initialStatus(background),
    created: stamp,
    updated: stamp,
    request,
    output: [],
    background,
    expiresAt: now + options.retentionMs,
  };
  if (request.model !== undefined) record.model = request.model;
  if (request.agent !== undefined) record.agent = request.agent;
  if (previousId !== undefined) record.previousId = previousId;
  // A foreground, non-streaming create: nobody learns the id before the response, so the runner writes it
  // whole when it finishes (one transaction) instead of row, event batches and final update.
  const persistence = !persist ? 'memory' : background || stream ? 'stored' : 'deferred';
  if (persistence === 'stored') await store.createInteraction(record);
  let run: Run;
  try {
    run = runner.start(record, persistence);
  } catch (err) {
    // Shutdown began while the row was being written: leave nothing half-made behind.
    if (persistence === 'stored') await store.deleteInteraction(record.id, owner).catch(() => {});
    throw err;
  }

  if (stream) {
    await streamRun(ctx, run, persist, background);
    return;
  }
  if (background) {
    sendJson(res, 200, interactionBody(run.snapshot(), ctx.revision, false));
    return;
  }
  // The client gave up on a store:false run, which nobody else can see: stop it. (A stored one goes on.)
  const onClose = persist
    ? undefined
    : () => {
        if (!res.writableEnded) void run.cancel();
      };
  if (onClose) res.once('close', onClose);
  const final = await run.done;
  if (onClose) res.off('close', onClose);
  if (res.destroyed) return;
  if (final.status === 'failed' && final.error) {
    sendError(res, new InteractionsError(final.error.code, final.error.message));
    return;
  }
  sendJson(res, 200, interactionBody(final, ctx.revision, false));
}

async function streamRun(
  ctx: RequestContext,
  run: Run,
  persist: boolean,
  background: boolean,
): Promise<void> {
  const writer = new SseWriter(ctx.res, { keepAliveMs: ctx.services.options.keepAliveMs });
  const stop = new AbortController();
  writer.onClose(() => {
    stop.abort();
    // A stored or background run goes on (GET ?stream=true resumes it); a store:false one cannot be resumed.
    if (!persist && !background) void run.cancel();
  });
  const feed = eventFeed({
    id: run.id,
    store: persist ? ctx.services.store : undefined,
    log: run.log,
    afterSeq: 0,
    signal: stop.signal,
  });
  await pipeEvents(writer, feed, ctx.revision);
}

async function findOwned(ctx: RequestContext): Promise<InteractionRecord> {
  const id = ctx.route.id ?? '';
  const record = await ctx.services.store.getInteraction(id, ctx.owner);
  if (!record) throw notFound(`Interaction '${id}' was not found.`);
  return record;
}

export async function handleGet(ctx: RequestContext): Promise<void> {
  const { services, query } = ctx;
  const stream = boolParam(query, 'stream');
  const includeInput = boolParam(query, 'include_input');
  const record = await findOwned(ctx);
  const run = services.runner.get(record.id);

  if (!stream) {
    const current = run ? run.snapshot() : record;
    // Steps GET shows the full timeline (user_input first); legacy echoes `input` only when asked.
    sendJson(ctx.res, 200, interactionBody(current, ctx.revision, ctx.revision === 'steps' || includeInput));
    return;
  }

  // No stored log (a foreground create nobody watched): replay the one its final state implies.
  const derived = !run && record.eventLog === 'derived' ? derivedLog(record) : undefined;
  let resume: ResumePoint | undefined;
  const lastEventId = query.get('last_event_id');
  if (lastEventId !== null && lastEventId !== '') {
    resume = parseEventId(lastEventId);
    const known =
      resume !== undefined &&
      (run
        ? resume.seq <= run.log.lastSeq
        : derived
          ? resume.seq <= derived.length
          : await services.store.hasEvent(record.id, resume.seq));
    if (!known || !resume) {
      throw badRequest(
        `Unknown 'last_event_id' '${lastEventId}': it is not an event of interaction '${record.id}'.`,
        'last_event_id',
      );
    }
  }

  const writer = new SseWriter(ctx.res, { keepAliveMs: services.options.keepAliveMs });
  const stop = new AbortController();
  writer.onClose(() => stop.abort());
  // Legacy streams are converted from the start of the log; steps streams start right after the cursor.
  const afterSeq = ctx.revision === 'steps' && resume ? resume.seq : 0;
  const feed = derived
    ? derivedFeed(derived, afterSeq)
    : eventFeed({ id: record.id, store: services.store, log: run?.log, afterSeq, signal: stop.signal });
  await pipeEvents(writer, feed, ctx.revision, ctx.revision === 'legacy' ? resume : undefined);
}

export async function handleDelete(ctx: RequestContext): Promise<void> {
  const id = ctx.route.id ?? '';
  const run = ctx.services.runner.get(id);
  const removed = await ctx.services.store.deleteInteraction(id, ctx.owner);
  if (!removed) throw notFound(`Interaction '${id}' was not found.`);
  // Delete does not cancel: the run goes on for its live streams, but nothing more is stored.
  run?.detach();
  // After the delete (a run finishing meanwhile may have cached its history): no chain may read it any more.
  ctx.services.runner.forget(id);
  sendJson(ctx.res, 200, {});
}

export async function handleCancel(ctx: RequestContext): Promise<void> {
  ctx.req.resume(); // the SDKs send no body; ignore one if present
  const record = await findOwned(ctx);
  const run = ctx.services.runner.get(record.id);
  if (!record.background) {
    throw new InteractionsError(
      'failed_precondition',
      `Interaction '${record.id}' is not a background interaction; only running background interactions can be cancelled.`,
    );
  }
  if (!run || run.finished) {
    const status = run ? run.snapshot().status : record.status;
    throw new InteractionsError(
      'failed_precondition',
      `Interaction '${record.id}' is already ${status}; only running background interactions can be cancelled.`,
    );
  }
  const final = await run.cancel();
  if (final.status !== 'cancelled') {
    throw new InteractionsError(
      'failed_precondition',
      `Interaction '${record.id}' finished (${final.status}) before it could be cancelled.`,
    );
  }
  sendJson(ctx.res, 200, interactionBody(final, ctx.revision, false));
}
