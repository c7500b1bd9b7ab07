/**
 * Run a step's calls: up to `concurrency` at once (1 when another call of the step waits for approval), and
 * hand each result over as soon as its call completes. A failure that must end the run (abort,
 * `onToolError: 'throw'`) is thrown at once; calls not started by then never start.
 */
import PQueue from 'p-queue';
import { type ExecuteCallEnv, executeCall } from './execute-call.ts';
import type { CallRecord } from './state.ts';
import type { ToolResult } from './types.ts';

export interface Completed {
  record: CallRecord;
  result: ToolResult;
}

export async function* executeBatch(
  records: readonly CallRecord[],
  env: ExecuteCallEnv,
  concurrency: number,
): AsyncGenerator<Completed, void, undefined> {
  const queue = new PQueue({ concurrency: Math.max(1, concurrency) });
  const tasks = records.map((record) =>
    queue.add(async (): Promise<Completed> => {
      env.signal.throwIfAborted();
      return { record, result: await executeCall(record, env) };
    }),
  );
  try {
    for (const next of inCompletionOrder(tasks)) yield await next;
  } finally {
    queue.clear();
  }
}

/** The same outcomes, ordered by when they settle: the first promise settles first. */
function inCompletionOrder<T>(promises: readonly Promise<T>[]): Promise<T>[] {
  const fill: ((outcome: Promise<T>) => void)[] = [];
  const slots = promises.map(() => new Promise<T>((resolve) => fill.push(resolve)));
  let settled = 0;
  for (const promise of promises) {
    const next = () => fill[settled++]?.(promise);
    promise.then(next, next);
  }
  // Only the first failure is thrown; the reader stops there and never awaits the rest.
  for (const slot of slots) slot.catch(() => {});
  return slots;
}
