/**
 * Run one tool call: look the tool up, parse and validate the arguments, run `execute` under the call's
 * timeout and the run's abort signal, and turn any failure into an error result (or whatever `onToolError`
 * decides). Aborting the run rejects with the abort reason, after signalling the tool.
 */
import type { ToolContext } from '../tool/context.ts';
import type { AnyTool } from '../tool/tool.ts';
import type { CallRecord } from './state.ts';
import { type ToolErrorPolicy, type ToolFailure, toolErrorMessages } from './tool-errors.ts';
import { toResultValue } from './tool-result-value.ts';
import type { ToolResult } from './types.ts';

export interface ExecuteCallEnv {
  tools: ReadonlyMap<string, AnyTool>;
  signal: AbortSignal;
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

class TimeoutSignal extends Error {
  readonly ms: number;
  constructor(ms: number) {
    super(`Timed out after ${ms} ms`);
    this.name = 'TimeoutError';
    this.ms = ms;
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

/** Resolve with `promise`, or reject when `signal` aborts (with its reason). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export async function executeCall(record: CallRecord, env: ExecuteCallEnv): Promise<ToolResult> {
  const started = performance.now();
  const { call } = record;
  const done = (result: unknown, extra: Partial<ToolResult> = {}): ToolResult => ({
    callId: call.id,
    name: call.name,
    result,
    isError: false,
    durationMs: Math.round(performance.now() - started),
    ...extra,
  });

  const fail = async (failure: ToolFailure): Promise<ToolResult> => {
    const decision = env.onToolError ? await env.onToolError(failure) : 'send_to_model';
    if (decision === 'throw') throw new ToolErrorThrow(failure);
    const base = {
      errorKind: failure.kind,
      ...(failure.kind === 'execution_error' ? { error: failure.error } : {}),
    };
    if (decision === 'send_to_model') return done(failure.message, { ...base, isError: true });
    return done(toResultValue(decision.result), { ...base, isError: decision.isError ?? true });
  };

  if (record.status === 'rejected') {
    return done(toolErrorMessages.rejected(call.name, record.rejectionReason), {
      isError: true,
      errorKind: 'rejected',
    });
  }
  const failure = { toolName: call.name, callId: call.id, arguments: call.arguments };
  const tool = env.tools.get(call.name);
  if (!tool) {
    const message = toolErrorMessages.unknownTool(call.name, [...env.tools.keys()]);
    return fail({ ...failure, kind: 'unknown_tool', error: message, message });
  }
  const parsed = parseArguments(call.arguments);
  if (!parsed.ok) {
    const message = toolErrorMessages.malformedArguments(call.name, parsed.detail);
    return fail({ ...failure, kind: 'invalid_arguments', error: message, message, issues: [] });
  }
  const validated = tool.validate(parsed.value);
  if (!validated.ok) {
    const message = toolErrorMessages.invalidArguments(call.name, validated.issues);
    return fail({ ...failure, kind: 'invalid_arguments', error: message, message, issues: validated.issues });
  }

  const timeoutMs = tool.timeoutMs ?? env.toolTimeoutMs;
  const local = new AbortController();
  const signal = AbortSignal.any([env.signal, local.signal]);
  const timer =
    timeoutMs > 0 ? setTimeout(() => local.abort(new TimeoutSignal(timeoutMs)), timeoutMs) : undefined;
  const ctx: ToolContext<unknown> = {
    signal,
    callId: call.id,
    toolName: call.name,
    step: record.step,
    runId: env.runId,
    context: env.context,
  };
  try {
    const run = (tool.execute as (args: unknown, ctx: ToolContext<unknown>) => unknown)(validated.value, ctx);
    const value = await untilAborted(Promise.resolve(run), signal);
    return done(toResultValue(value));
  } catch (error) {
    if (env.signal.aborted) throw env.signal.reason;
    if (local.signal.aborted && local.signal.reason instanceof TimeoutSignal) {
      const message = toolErrorMessages.timeout(call.name, timeoutMs);
      return fail({ ...failure, kind: 'timeout', error: local.signal.reason, message });
    }
    return fail({
      ...failure,
      kind: 'execution_error',
      error,
      message: toolErrorMessages.executionError(call.name, error),
    });
  } finally {
    if (timer) clearTimeout(timer);
  }
}
