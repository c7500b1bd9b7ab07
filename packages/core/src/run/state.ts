/**
 * `RunState`: everything needed to continue a run — in this process or another one.
 *
 * In stateful mode (the default) the interaction chain on the server *is* the history, so the state is small:
 * the last interaction id, the calls waiting for a decision or a result, what is still to be sent, the step
 * counters and usage. In stateless mode (`store: false`) it also carries the full history, thought signatures
 * included, because nothing is kept server-side.
 *
 * @example
 * const result = await runner.run('Delete the old logs');
 * const saved = JSON.stringify(result.state);                // → a database, a file, a queue …
 * // later, maybe in another process:
 * const state = RunState.fromJSON(saved);
 * for (const p of state.interruptions) state.approve(p.callId);
 * const done = await runner.run(state);
 */
import type { Item, Usage } from '@interplay/protocol';
import { z } from 'zod/v4';
import { RunStateError, RunStateVersionError } from '../errors.ts';
import type { FinishReason, PendingApproval, StepResult, ToolCall, ToolResult } from './types.ts';

/** Bumped on every incompatible change of the serialized form. */
export const RUN_STATE_SCHEMA_VERSION = 1;

export type RunMode = 'stateful' | 'stateless';

/** Where a call of the current step stands. */
export type CallStatus = 'ready' | 'awaiting_approval' | 'approved' | 'rejected' | 'done';

export interface CallRecord {
  call: ToolCall;
  step: number;
  status: CallStatus;
  rejectionReason?: string;
  result?: ToolResult;
}

/** Serialized step: names, status and usage (outputs are on the server in stateful mode). */
interface StepSummary {
  step: number;
  interactionId?: string;
  status: StepResult['status'];
  toolCalls: { id: string; name: string }[];
  usage: Usage;
}

export interface SerializedRunState {
  schemaVersion: number;
  runId: string;
  mode: RunMode;
  lastInteractionId?: string;
  stepCount: number;
  usage: Usage;
  /** Items to send with the next model call (user input, function results). */
  pendingInput: Item[];
  /** Calls of the latest step not yet answered. */
  calls: CallRecord[];
  /** Stateless mode only: every item sent and received so far. */
  history?: Item[];
  steps: StepSummary[];
  stopReason?: FinishReason;
}

const itemSchema = z.looseObject({ type: z.string() });
const usageSchema = z.looseObject({});
const toolCallSchema = z.object({ id: z.string(), name: z.string(), arguments: z.unknown() });
const toolResultSchema = z.object({
  callId: z.string(),
  name: z.string(),
  result: z.unknown(),
  isError: z.boolean(),
  errorKind: z
    .enum(['unknown_tool', 'invalid_arguments', 'execution_error', 'timeout', 'rejected'])
    .optional(),
  durationMs: z.number(),
});
const serializedSchema = z.object({
  schemaVersion: z.literal(RUN_STATE_SCHEMA_VERSION),
  runId: z.string(),
  mode: z.enum(['stateful', 'stateless']),
  lastInteractionId: z.string().optional(),
  stepCount: z.int().nonnegative(),
  usage: usageSchema,
  pendingInput: z.array(itemSchema),
  calls: z.array(
    z.object({
      call: toolCallSchema,
      step: z.int(),
      status: z.enum(['ready', 'awaiting_approval', 'approved', 'rejected', 'done']),
      rejectionReason: z.string().optional(),
      result: toolResultSchema.optional(),
    }),
  ),
  history: z.array(itemSchema).optional(),
  steps: z.array(
    z.object({
      step: z.int(),
      interactionId: z.string().optional(),
      status: z.string(),
      toolCalls: z.array(z.object({ id: z.string(), name: z.string() })),
      usage: usageSchema,
    }),
  ),
  stopReason: z.string().optional(),
});

const newRunId = (): string => `run_${crypto.randomUUID()}`;

export class RunState {
  readonly runId: string;
  readonly mode: RunMode;
  lastInteractionId: string | undefined;
  stepCount = 0;
  usage: Usage = {};
  pendingInput: Item[] = [];
  calls: CallRecord[] = [];
  /** Stateless mode: the full transcript. */
  history: Item[] = [];
  steps: StepResult[] = [];
  /** Set when a stop condition ended the run after a step; cleared when the run is resumed. */
  stopReason: FinishReason | undefined;

  constructor(init: { mode?: RunMode; runId?: string; input?: Item[] } = {}) {
    this.runId = init.runId ?? newRunId();
    this.mode = init.mode ?? 'stateful';
    if (init.input) this.pendingInput = [...init.input];
  }

  /** Calls waiting for `approve` / `reject`. */
  get interruptions(): PendingApproval[] {
    return this.calls
      .filter((c) => c.status === 'awaiting_approval')
      .map((c) => ({ callId: c.call.id, toolName: c.call.name, arguments: c.call.arguments, step: c.step }));
  }

  #pending(callId: string): CallRecord {
    const record = this.calls.find((c) => c.call.id === callId);
    if (!record) throw new RunStateError(`No call ${JSON.stringify(callId)} in this run state.`);
    if (
      record.status !== 'awaiting_approval' &&
      record.status !== 'approved' &&
      record.status !== 'rejected'
    ) {
      throw new RunStateError(`Call ${callId} (${record.call.name}) is not waiting for approval.`);
    }
    return record;
  }

  /** Let a paused call run when the run is resumed. */
  approve(callId: string): this {
    const record = this.#pending(callId);
    record.status = 'approved';
    delete record.rejectionReason;
    return this;
  }

  /** Refuse a paused call: the model gets an error result saying so (with `reason`). */
  reject(callId: string, reason?: string): this {
    const record = this.#pending(callId);
    record.status = 'rejected';
    if (reason !== undefined) record.rejectionReason = reason;
    else delete record.rejectionReason;
    return this;
  }

  /** The serialized form (what `JSON.stringify(state)` writes). */
  toJSON(): SerializedRunState {
    const out: SerializedRunState = {
      schemaVersion: RUN_STATE_SCHEMA_VERSION,
      runId: this.runId,
      mode: this.mode,
      stepCount: this.stepCount,
      usage: this.usage,
      pendingInput: this.pendingInput,
      calls: this.calls.map(({ result, ...rest }) => {
        if (!result) return rest;
        const { error: _e, ...serializable } = result;
        return { ...rest, result: serializable };
      }),
      steps: this.steps.map((s) => {
        const summary: StepSummary = {
          step: s.step,
          status: s.status,
          toolCalls: s.toolCalls.map(({ id, name }) => ({ id, name })),
          usage: s.usage,
        };
        if (s.interactionId !== undefined) summary.interactionId = s.interactionId;
        return summary;
      }),
    };
    if (this.lastInteractionId !== undefined) out.lastInteractionId = this.lastInteractionId;
    if (this.mode === 'stateless') out.history = this.history;
    if (this.stopReason !== undefined) out.stopReason = this.stopReason;
    return JSON.parse(JSON.stringify(out)) as SerializedRunState;
  }

  toString(): string {
    return JSON.stringify(this.toJSON());
  }

  /**
   * Load a serialized state (a JSON string or the parsed object). Throws `RunStateVersionError` when it was
   * written with another `schemaVersion`, `RunStateError` when it is malformed.
   */
  static fromJSON(json: string | unknown): RunState {
    let data: unknown = json;
    if (typeof json === 'string') {
      try {
        data = JSON.parse(json);
      } catch (cause) {
        throw new RunStateError('Run state is not valid JSON.', { cause });
      }
    }
    const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (version !== RUN_STATE_SCHEMA_VERSION)
      throw new RunStateVersionError(version, RUN_STATE_SCHEMA_VERSION);
    const parsed = serializedSchema.safeParse(data);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      throw new RunStateError(`Run state is malformed: ${detail}`);
    }
    const s = parsed.data as unknown as SerializedRunState;
    const state = new RunState({ mode: s.mode, runId: s.runId });
    state.lastInteractionId = s.lastInteractionId;
    state.stepCount = s.stepCount;
    state.usage = s.usage;
    state.pendingInput = s.pendingInput;
    state.calls = s.calls;
    state.history = s.history ?? [];
    state.stopReason = s.stopReason;
    state.steps = s.steps.map((summary) => ({
      step: summary.step,
      interactionId: summary.interactionId,
      status: summary.status,
      output: [],
      text: '',
      toolCalls: summary.toolCalls.map((c) => ({ ...c, arguments: {} })),
      toolResults: [],
      usage: summary.usage,
      restored: true,
    }));
    return state;
  }
}
