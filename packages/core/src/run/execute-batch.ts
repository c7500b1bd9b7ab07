/**
 * Run a step's calls: up to `concurrency` at once, or one at a time when told to (another call of the step
 * waits for approval). `onResult` sees each result as it completes; the returned results keep the calls'
 * order. A failure that must end the run (abort, `onToolError: 'throw'`) rejects at once.
 *
 * When every call fits under the cap (the common case: one call per step) they simply all start; a p-queue
 * is only set up when some calls must wait their turn.
 */
import PQueue from 'p-queue';
import { type ExecuteCallEnv, executeCall } from './execute-call.ts';
import type { CallRecord } from './state.ts';
import type { ToolResult } from './types.ts';

export interface BatchOptions extends ExecuteCallEnv {
  concurrency: number;
  onResult: (record: CallRecord, result: ToolResult) => void;
}

async function runOne(record: CallRecord, options: BatchOptions): Promise<ToolResult> {
  options.signal.throwIfAborted();
  const result = await executeCall(record, options);
  options.onResult(record, result);
  return result;
}

export async function executeBatch(
  records: readonly CallRecord[],
  options: BatchOptions,
): Promise<ToolResult[]> {
  const concurrency = Math.max(1, options.concurrency);
  if (records.length === 1) return [await runOne(records[0] as CallRecord, options)];
  const queue = records.length > concurrency ? new PQueue({ concurrency }) : undefined;
  const tasks = records.map((record) =>
    queue ? queue.add(() => runOne(record, options)) : runOne(record, options),
  );
  try {
    return await Promise.all(tasks);
  } catch (error) {
    queue?.clear();
    // Let sibling tasks settle quietly; the first failure wins.
    for (const task of tasks) task.catch(() => {});
    throw error;
  }
}
