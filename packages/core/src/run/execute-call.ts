/**
 * Run one tool call: look the tool up, parse and validate the arguments, run `execute` under the call's
 * timeout and the run's abort signal, and turn any failure into an error result (or whatever `onToolError`
 * decides). Aborting the run rejects with the abort reason, after signalling the tool.
 */

import { GuardrailTripwireError } from '../errors.ts';
import type { ToolContext } from '../tool/context.ts';
import type { AnyTool } from '../tool/tool.ts';
import type { RunningCalls } from './call-abort.ts';
import type { CallRecord } from './state.ts';
import { type ToolErrorPolicy, type ToolFailure, toolErrorMessages } from './tool-errors.ts';
import { ToolInterruption } from './tool-interruption.ts';
import { toResultValue } from './tool-result-value.ts';
import type { ToolCall, ToolResult } from './types.ts';

export interface ExecuteCallEnv {
  tools: ReadonlyMap<string, AnyTool>;
  /** The run's signal, and its running calls (aborted with it). */
  calls: RunningCalls;
  runId: string;
  context: unknown;
  /** Default time limit (ms; 0 = none) for tools without their own. */
  toolTimeoutMs: number;
  onToolError?: ToolErrorPolicy;
}

/** `onToolError` said `'throw'`. */
export class ToolErrorThrow extends Error {
  readonly failure: ToolFailure;
  constructor(failure: ToolFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

function parseArguments(raw: unknown): { ok: true; value: unknown } | { ok: false; detail: string } {
  if (typeof raw !== 'string') return { ok: true, value: raw ?? {} };
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

function toolResult(call: ToolCall, started: number, result: unknown, failed?: FailedResult): ToolResult {
  return {
    callId: call.id,
    name: call.name,
    result,
    isError: false,
    durationMs: Math.round(performance.now() - started),
    ...failed,
  };
}

/** What a failed call adds to its result. */
type FailedResult = Pick<ToolResult, 'isError' | 'errorKind' | 'error'>;

/** A failure → its result, as `onToolError` decides (an error result for the model by default). */
async function failureResult(
  call: ToolCall,
  started: number,
  env: ExecuteCallEnv,
  what: Omit<ToolFailure, 'toolName' | 'callId' | 'arguments'>,
): Promise<ToolResult> {
  const failure: ToolFailure = { toolName: call.name, callId: call.id, arguments: call.arguments, ...what };
  const decision = env.onToolError ? await env.onToolError(failure) : 'send_to_model';
  if (decision === 'throw') throw new ToolErrorThrow(failure);
  const extra: FailedResult = {
    errorKind: failure.kind,
    ...(failure.kind === 'execution_error' ? { error: failure.error } : {}),
    isError: decision === 'send_to_model' ? true : (decision.isError ?? true),
  };
  const result = decision === 'send_to_model' ? failure.message : toResultValue(decision.result);
  return toolResult(call, started, result, extra);
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

export async function executeCall(record: CallRecord, env: ExecuteCallEnv): Promise<ToolResult> {
  env.calls.signal.throwIfAborted(); // a call does not start once the run is aborted
  const started = performance.now();
  const { call } = record;
  if (record.status === 'rejected') {
    return toolResult(call, started, toolErrorMessages.rejected(call.name, record.rejectionReason), {
      isError: true,
      errorKind: 'rejected',
    });
  }
  const tool = env.tools.get(call.name);
  if (!tool) {
    const message = toolErrorMessages.unknownTool(call.name, [...env.tools.keys()]);
    return failureResult(call, started, env, { kind: 'unknown_tool', error: message, message });
  }
  const parsed = parseArguments(call.arguments);
  if (!parsed.ok) {
    const message = toolErrorMessages.malformedArguments(call.name, parsed.detail);
    return failureResult(call, started, env, {
      kind: 'invalid_arguments',
      error: message,
      message,
      issues: [],
    });
  }
  const validated = tool.validate(parsed.value);
  if (!validated.ok) {
    const message = toolErrorMessages.invalidArguments(call.name, validated.issues);
    const { issues } = validated;
    return failureResult(call, started, env, { kind: 'invalid_arguments', error: message, message, issues });
  }

  const timeoutMs = tool.timeoutMs ?? env.toolTimeoutMs;
  const abort = env.calls.start(timeoutMs);
  const ctx: ToolContext<unknown> = {
    signal: abort.signal,
    callId: call.id,
    toolName: call.name,
    step: record.step,
    runId: env.runId,
    context: env.context,
  };
  try {
    const execute = tool.execute as (args: unknown, ctx: ToolContext<unknown>) => unknown;
    const returned = execute(validated.value, ctx);
    // Only a promise can be raced against the time limit: a synchronous result is in hand already.
    const value = isPromiseLike(returned) ? await abort.race(returned) : returned;
    env.calls.signal.throwIfAborted(); // a tool that aborted the run while it ran does not count as done
    return toolResult(call, started, toResultValue(value));
  } catch (error) {
    if (env.calls.signal.aborted) throw env.calls.signal.reason;
    // Not failures for the model: a paused sub-agent pauses the run, a tripped guardrail ends it.
    if (error instanceof ToolInterruption || error instanceof GuardrailTripwireError) throw error;
    const timeout = abort.timedOut;
    if (timeout) {
      const message = toolErrorMessages.timeout(call.name, timeoutMs);
      return failureResult(call, started, env, { kind: 'timeout', error: timeout, message });
    }
    const message = toolErrorMessages.executionError(call.name, error);
    return failureResult(call, started, env, { kind: 'execution_error', error, message });
  } finally {
    abort.dispose();
  }
}
