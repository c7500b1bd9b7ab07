/**
 * Start a step's calls: up to `concurrency` at once (1 when another call of the step waits for approval).
 * The outcomes come back in the order the calls complete, so each result can be reported as soon as it is
 * in. A failure that must end the run (abort, `onToolError: 'throw'`) rejects its outcome; `stop()` then
 * keeps the calls not started yet from ever starting.
 */
import PQueue from 'p-queue';
import type { RunTrace } from '../telemetry/run-trace.ts';
import { type ExecuteCallEnv, executeCall } from './execute-call.ts';
import type { CallRecord, NestedRun } from './state-schema.ts';
import { ToolInterruption } from './tool-interruption.ts';
import type { ToolResult } from './types.ts';

/** A call's outcome: its result, or the sub-agent run that paused inside it (`ToolInterruption`). */
export type Completed =
  | { record: CallRecord; result: ToolResult; paused?: undefined }
  | { record: CallRecord; result?: undefined; paused: NestedRun };

export interface Batch {
  /** One promise per call, in completion order: the first to settle is first. */
  completions: Promise<Completed>[];
  stop(): void;
}

export function executeBatch(
  records: readonly CallRecord[],
  env: ExecuteCallEnv,
  concurrency: number,
  trace?: RunTrace,
): Batch {
  const execute = (record: CallRecord): Promise<ToolResult> =>
    trace ? trace.toolCall(record.call, () => executeCall(record, env)) : executeCall(record, env);
  const run = (record: CallRecord): Promise<Completed> =>
    execute(record).then(
      (result) => ({ record, result }),
      (error: unknown) => {
        if (error instanceof ToolInterruption) return { record, paused: error.nested };
        throw error;
      },
    );
  // A queue only when some calls must wait for their turn (most steps make one call).
  const cap = Math.max(1, concurrency);
  const queue = records.length > cap ? new PQueue({ concurrency: cap }) : undefined;
  const tasks = records.map((record) => (queue ? queue.add(() => run(record)) : run(record)));
  return { completions: inCompletionOrder(tasks), stop: () => queue?.clear() };
}

function inCompletionOrder<T>(promises: readonly Promise<T>[]): Promise<T>[] {
  if (promises.length < 2) return [...promises]; // nothing to order
  const settle: { resolve: (value: T) => void; reject: (error: unknown) => void }[] = [];
  const slots = promises.map(() => new Promise<T>((resolve, reject) => settle.push({ resolve, reject })));
  let settled = 0;
  for (const promise of promises) {
    promise.then(
      (value) => settle[settled++]?.resolve(value),
      (error: unknown) => settle[settled++]?.reject(error),
    );
  }
  // Only the first failure is thrown; the reader stops there and never awaits the rest.
  for (const slot of slots) slot.catch(() => {});
  return slots;
}
