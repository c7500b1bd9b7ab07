/**
 * The run loop's decision, as a pure function of the state: what happens next.
 *
 * 1. calls that can run (no decision pending, or approved/rejected) → `execute_tools` — one at a time when
 *    another call of the step still waits for approval, in parallel otherwise;
 * 2. calls waiting for a human → `await_approval` (the run pauses);
 * 3. a stop condition fired after the last step → `finish`;
 * 4. nothing left to send → `finish('completed')`;
 * 5. the step budget is spent → `finish('max_steps')`;
 * 6. otherwise → `call_model` with the pending input (user input or function results).
 */
import type { CallRecord, RunState } from './state.ts';
import type { FinishReason } from './types.ts';

export type NextAction =
  | { kind: 'call_model' }
  | { kind: 'execute_tools'; calls: CallRecord[]; concurrency: 'parallel' | 'sequential' }
  | { kind: 'await_approval'; pending: CallRecord[] }
  | { kind: 'finish'; reason: FinishReason };

export interface NextActionLimits {
  maxSteps: number;
}

type StateView = Pick<RunState, 'calls' | 'pendingInput' | 'stepCount' | 'stopReason'>;

export function nextAction(state: StateView, limits: NextActionLimits): NextAction {
  const runnable = state.calls.filter(
    (c) => c.status === 'ready' || c.status === 'approved' || c.status === 'rejected',
  );
  const waiting = state.calls.filter((c) => c.status === 'awaiting_approval');
  if (runnable.length > 0) {
    return {
      kind: 'execute_tools',
      calls: runnable,
      concurrency: waiting.length > 0 ? 'sequential' : 'parallel',
    };
  }
  if (waiting.length > 0) return { kind: 'await_approval', pending: waiting };
  if (state.stopReason !== undefined) return { kind: 'finish', reason: state.stopReason };
  if (state.pendingInput.length === 0) return { kind: 'finish', reason: 'completed' };
  if (state.stepCount >= limits.maxSteps) return { kind: 'finish', reason: 'max_steps' };
  return { kind: 'call_model' };
}
