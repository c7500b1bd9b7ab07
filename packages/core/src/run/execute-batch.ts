/**
 * Run a step's calls through a p-queue: up to `concurrency` at once, or one at a time when told to (another
 * call of the step waits for approval). `onResult` sees each result as it completes; the returned results
 * keep the calls' order. A failure that must end the run (abort, `onToolError: 'throw'`) rejects at once.
 */
import PQueue from 'p-queue';
import { type ExecuteCallEnv, executeCall } from './execute-call.ts';
import type { CallRecord } from './state.ts';
import type { ToolResult } from './types.ts';

export interface BatchOptions extends ExecuteCallEnv {
  concurrency: number;
  onResult: (record: CallRecord, result: ToolResult) => void;
}

export async function executeBatch(
  records: readonly CallRecord[],
  options: BatchOptions,
): Promise<ToolResult[]> {
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  const tasks = records.map((record) =>
    queue.add(async () => {
      options.signal.throwIfAborted();
      const result = await executeCall(record, options);
      options.onResult(record, result);
      return result;
    }),
  );
  try {
    return await Promise.all(tasks);
  } catch (error) {
    queue.clear();
    // Let sibling tasks settle quietly; the first failure wins.
    for (const task of tasks) task.catch(() => {});
    throw error;
  }
}
