/**
 * Runs one round of server-executed tool calls in parallel (capped by p-queue). Failures are data: an unknown
 * or unoffered tool, a throw or a timeout each become an `is_error` result, so the model sees them — except a
 * `ResourceExhaustedError` (the caller's key is over a capacity limit), which fails the round, and so the turn,
 * with `resource_exhausted`; the round's other calls are cancelled.
 */
import type { ErrorBody, Item, Tool } from '@interplay/protocol';
import PQueue from 'p-queue';
import { traceServerTool } from '../telemetry/spans.ts';
import { ResourceExhaustedError } from '../tools/errors.ts';
import type { ServerToolRegistry } from '../tools/registry.ts';
import { errorResult, resultTypeFor } from '../tools/results.ts';

export interface ToolRound {
  calls: Item[];
  registry: ServerToolRegistry;
  offered: readonly Tool[];
  interactionId: string;
  /** The API key's owner id (null in open mode), for tools that share capacity fairly between keys. */
  owner: string | null;
  signal: AbortSignal;
  concurrency: number;
  timeoutMs: number;
  /** Called once per call, in completion order. Never called after `signal` aborts. */
  onResult(result: Item): void;
}

/** How a round ended: every call has a result, the turn's signal aborted, or a call failed the turn. */
export type RoundEnd = { kind: 'done' } | { kind: 'aborted' } | { kind: 'failed'; error: ErrorBody };

/** Resolves when every call has a result, as soon as the signal aborts, or when a call fails the round. */
export async function runToolRound(round: ToolRound): Promise<RoundEnd> {
  const { signal } = round;
  if (signal.aborted) return { kind: 'aborted' };
  // Aborted when a call fails the round: its siblings stop too.
  const stopRound = new AbortController();
  const queue = new PQueue({ concurrency: round.concurrency });
  let failure: RoundEnd | undefined;
  const all = Promise.all(
    round.calls.map((call) =>
      queue.add(async () => {
        try {
          const result = await traceServerTool(call, () => runOne(call, round, stopRound.signal));
          if (!signal.aborted && !failure) round.onResult(result);
        } catch (error) {
          const { code, message } = error as ResourceExhaustedError;
          failure ??= { kind: 'failed', error: { code, message } };
          stopRound.abort(error);
        }
      }),
    ),
  );
  let onAbort = (): void => {};
  const ended = new Promise<RoundEnd>((resolve) => {
    onAbort = () => resolve(failure ?? { kind: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    stopRound.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([all.then((): RoundEnd => failure ?? { kind: 'done' }), ended]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    queue.clear(); // calls not started yet never start after an abort
  }
}

/** One call's result; throws only a `ResourceExhaustedError` (the round fails). */
async function runOne(call: Item, round: ToolRound, stopRound: AbortSignal): Promise<Item> {
  const resolved = round.registry.resolve(call, round.offered);
  if (!resolved.ok) return errorResult(call, resolved.message);
  const timeout = AbortSignal.timeout(round.timeoutMs);
  const signal = AbortSignal.any([round.signal, stopRound, timeout]);
  try {
    const result = await raceSignal(
      resolved.tool.execute(call, {
        declaration: resolved.declaration,
        signal,
        interactionId: round.interactionId,
        tools: round.offered,
        owner: round.owner,
      }),
      signal,
    );
    return { ...result, type: result.type ?? resultTypeFor(call.type), call_id: call.id } as Item;
  } catch (error) {
    if (error instanceof ResourceExhaustedError) throw error;
    if (timeout.aborted && !round.signal.aborted)
      return errorResult(call, `tool timed out after ${round.timeoutMs} ms`);
    return errorResult(call, error instanceof Error ? error.message : String(error));
  }
}

/** A tool that ignores its signal must not hold the turn: stop waiting when the signal aborts. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
