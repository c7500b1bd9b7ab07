/** The loop's state machine: `nextAction` for every situation a run can be in. */
import { describe, expect, it } from 'vitest';
import { type CallRecord, nextAction, RunState } from '../src/index.ts';

const rec = (id: string, status: CallRecord['status']): CallRecord => ({
  call: { id, name: 'tool', arguments: {} },
  step: 1,
  status,
});

function stateWith(partial: Partial<Pick<RunState, 'calls' | 'pendingInput' | 'stepCount' | 'stopReason'>>) {
  const s = new RunState();
  Object.assign(s, partial);
  return s;
}

const limits = { maxSteps: 3 };
const userInput = [{ type: 'user_input' as const, content: [{ type: 'text' as const, text: 'hi' }] }];

describe('nextAction', () => {
  it('calls the model first with the user input', () => {
    expect(nextAction(stateWith({ pendingInput: userInput }), limits)).toEqual({ kind: 'call_model' });
  });

  it('executes ready calls in parallel', () => {
    const calls = [rec('a', 'ready'), rec('b', 'ready')];
    expect(nextAction(stateWith({ calls, stepCount: 1 }), limits)).toEqual({
      kind: 'execute_tools',
      calls,
      concurrency: 'parallel',
    });
  });

  it('executes the other calls one at a time while an approval is pending, then pauses', () => {
    const calls = [rec('a', 'ready'), rec('b', 'awaiting_approval'), rec('c', 'done')];
    const first = nextAction(stateWith({ calls, stepCount: 1 }), limits);
    expect(first).toEqual({ kind: 'execute_tools', calls: [calls[0]], concurrency: 'sequential' });
    const paused = [rec('a', 'done'), rec('b', 'awaiting_approval')];
    expect(nextAction(stateWith({ calls: paused, stepCount: 1 }), limits)).toEqual({
      kind: 'await_approval',
      pending: [paused[1]],
    });
  });

  it('runs approved and rejected calls (a rejection becomes an error result)', () => {
    const calls = [rec('a', 'approved'), rec('b', 'rejected')];
    expect(nextAction(stateWith({ calls, stepCount: 1 }), limits)).toMatchObject({
      kind: 'execute_tools',
      concurrency: 'parallel',
    });
  });

  it('sends function results back with another model call', () => {
    const results = [{ type: 'function_result' as const, call_id: 'a', result: 'ok' }];
    expect(nextAction(stateWith({ pendingInput: results, stepCount: 1 }), limits)).toEqual({
      kind: 'call_model',
    });
  });

  it('finishes as completed when nothing is left to send', () => {
    expect(nextAction(stateWith({ stepCount: 2 }), limits)).toEqual({ kind: 'finish', reason: 'completed' });
  });

  it('finishes with max_steps when the budget is spent and the model wanted more', () => {
    const results = [{ type: 'function_result' as const, call_id: 'a', result: 'ok' }];
    expect(nextAction(stateWith({ pendingInput: results, stepCount: 3 }), limits)).toEqual({
      kind: 'finish',
      reason: 'max_steps',
    });
    expect(nextAction(stateWith({ pendingInput: results, stepCount: 3 }), { maxSteps: 4 })).toEqual({
      kind: 'call_model',
    });
  });

  it('finishes with the stop reason recorded after a step', () => {
    const results = [{ type: 'function_result' as const, call_id: 'a', result: 'ok' }];
    expect(
      nextAction(stateWith({ pendingInput: results, stepCount: 1, stopReason: 'stop_tool' }), limits),
    ).toEqual({
      kind: 'finish',
      reason: 'stop_tool',
    });
  });
});
