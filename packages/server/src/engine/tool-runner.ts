/**
 * Runs one round of server-executed tool calls in parallel (capped by p-queue). Failures are data: an unknown
 * or unoffered tool, a throw or a timeout each become an `is_error` result, so the model sees them.
 */
import type { Item, Tool } from '@interplay/protocol';
import PQueue from 'p-queue';
import type { ServerToolRegistry } from '../tools/registry.ts';
import { errorResult, resultTypeFor } from '../tools/results.ts';

export interface ToolRound {
  calls: Item[];
  registry: ServerToolRegistry;
  offered: readonly Tool[];
  interactionId: string;
  signal: AbortSignal;
  concurrency: number;
  timeoutMs: number;
  /** Called once per call, in completion order. Never called after `signal` aborts. */
  onResult(result: Item): void;
}

/** Resolves `'done'` when every call has a result, or `'aborted'` as soon as the signal aborts. */
export async function runToolRound(round: ToolRound): Promise<'done' | 'aborted'> {
  const { signal } = round;
  if (signal.aborted) return 'aborted';
  const queue = new PQueue({ concurrency: round.concurrency });
  const all = Promise.all(
    round.calls.map((call) =>
      queue.add(async () => {
        const result = await runOne(call, round);
        if (!signal.aborted) round.onResult(result);
      }),
    ),
  );
  let onAbort = (): void => {};
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([all.then(() => 'done' as const), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    queue.clear(); // calls not started yet never start after an abort
  }
}

async function runOne(call: Item, round: ToolRound): Promise<Item> {
  const resolved = round.registry.resolve(call, round.offered);
  if (!resolved.ok) return errorResult(call, resolved.message);
  const timeout = AbortSignal.timeout(round.timeoutMs);
  const signal = AbortSignal.any([round.signal, timeout]);
  try {
    const result = await raceSignal(
      resolved.tool.execute(call, {
        declaration: resolved.declaration,
        signal,
        interactionId: round.interactionId,
        tools: round.offered,
      }),
      signal,
    );
    return { ...result, type: result.type ?? resultTypeFor(call.type), call_id: call.id } as Item;
  } catch (error) {
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
