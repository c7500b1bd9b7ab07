/**
 * `RunState`: everything needed to continue a run — in this process or another one.
 *
 * In stateful mode (the default) the interaction chain on the server *is* the history, so the state is small:
 * the last interaction id, the calls waiting for a decision or a result, what is still to be sent, the step
 * counters and usage, and the tools each step offered. In stateless mode (`store: false`) it also carries the
 * full history, thought signatures included, because nothing is kept server-side. The serialized form is
 * versioned (state-schema.ts).
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
import { RunStateError } from '../errors.ts';
import {
  type CallRecord,
  RUN_STATE_SCHEMA_VERSION,
  type RunMode,
  readSerializedState,
  type SerializedRunState,
  type StepSummary,
} from './state-schema.ts';
import type { FinishReason, PendingApproval, StepResult } from './types.ts';

export type { CallRecord, CallStatus, RunMode, SerializedRunState, StepSummary } from './state-schema.ts';

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
  /** Agent runs: the name of the agent answering now (changed by handoffs). */
  agent: string | undefined;

  constructor(init: { mode?: RunMode; runId?: string; input?: Item[] } = {}) {
    this.runId = init.runId ?? newRunId();
    this.mode = init.mode ?? 'stateful';
    if (init.input) this.pendingInput = [...init.input];
  }

  /**
   * Calls waiting for `approve` / `reject` — with those inside sub-agents (`agent.asTool()`), which carry
   * the sub-agent's name as `agent` (a path `outer/inner` when sub-agents nest).
   */
  get interruptions(): PendingApproval[] {
    return this.calls.flatMap((c): PendingApproval[] => {
      if (c.status !== 'awaiting_approval') return [];
      if (c.nested) {
        const { agent } = c.nested;
        return RunState.fromJSON(c.nested.state).interruptions.map((p) => ({
          ...p,
          agent: p.agent ? `${agent}/${p.agent}` : agent,
        }));
      }
      return [{ callId: c.call.id, toolName: c.call.name, arguments: c.call.arguments, step: c.step }];
    });
  }

  /**
   * Decide a call inside a sub-agent's paused run: the decision is written into its nested state, and the
   * parent's call may run again (resuming the sub-agent) once nothing in there waits any more.
   */
  #decideNested(callId: string, decide: (state: RunState) => void): boolean {
    for (const record of this.calls) {
      if (!record.nested || record.status === 'done') continue;
      const inner = RunState.fromJSON(record.nested.state);
      if (!inner.#holds(callId)) continue;
      decide(inner);
      record.nested = { agent: record.nested.agent, state: inner.toJSON() };
      record.status = inner.interruptions.length === 0 ? 'approved' : 'awaiting_approval';
      return true;
    }
    return false;
  }

  /** Is `callId` one of this state's calls, or of a sub-agent's paused run inside it? */
  #holds(callId: string): boolean {
    return this.calls.some(
      (c) =>
        (c.call.id === callId && !c.nested) ||
        (c.nested !== undefined && RunState.fromJSON(c.nested.state).#holds(callId)),
    );
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
    if (this.#decideNested(callId, (inner) => inner.approve(callId))) return this;
    const record = this.#pending(callId);
    record.status = 'approved';
    delete record.rejectionReason;
    return this;
  }

  /** Refuse a paused call: the model gets an error result saying so (with `reason`). */
  reject(callId: string, reason?: string): this {
    if (this.#decideNested(callId, (inner) => inner.reject(callId, reason))) return this;
    const record = this.#pending(callId);
    record.status = 'rejected';
    if (reason !== undefined) record.rejectionReason = reason;
    else delete record.rejectionReason;
    return this;
  }

  /** The serialized form (what `JSON.stringify(state)` writes), in the current `schemaVersion`. */
  toJSON(): SerializedRunState {
    const out: SerializedRunState = {
      schemaVersion: RUN_STATE_SCHEMA_VERSION,
      runId: this.runId,
      mode: this.mode,
      lastInteractionId: this.lastInteractionId,
      stepCount: this.stepCount,
      usage: this.usage,
      pendingInput: this.pendingInput,
      // A failed call's thrown `error` stays in memory: it need not survive JSON.
      calls: this.calls.map(({ result, ...rest }) => {
        if (!result) return rest;
        const { error: _error, ...serializable } = result;
        return { ...rest, result: serializable };
      }),
      history: this.mode === 'stateless' ? this.history : undefined,
      steps: this.steps.map(
        (s): StepSummary => ({
          step: s.step,
          interactionId: s.interactionId,
          status: s.status,
          toolCalls: s.toolCalls.map(({ id, name }) => ({ id, name })),
          offeredTools: s.offeredTools,
          usage: s.usage,
        }),
      ),
      stopReason: this.stopReason,
      agent: this.agent,
    };
    // A deep copy without the absent (undefined) fields: later changes to the run do not reach it.
    return JSON.parse(JSON.stringify(out)) as SerializedRunState;
  }

  toString(): string {
    return JSON.stringify(this.toJSON());
  }

  /**
   * Load a serialized state (a JSON string or the parsed object) of any supported `schemaVersion`
   * (`SUPPORTED_RUN_STATE_VERSIONS`). Throws `RunStateVersionError` for another version, `RunStateError`
   * when it is malformed.
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
    const s = readSerializedState(data);
    const state = new RunState({ mode: s.mode, runId: s.runId });
    state.lastInteractionId = s.lastInteractionId;
    state.stepCount = s.stepCount;
    state.usage = s.usage;
    state.pendingInput = s.pendingInput;
    state.calls = s.calls;
    state.history = s.history ?? [];
    state.stopReason = s.stopReason;
    state.agent = s.agent;
    state.steps = s.steps.map((summary) => ({
      step: summary.step,
      interactionId: summary.interactionId,
      status: summary.status,
      output: [],
      text: '',
      toolCalls: summary.toolCalls.map((c) => ({ ...c, arguments: {} })),
      ...(summary.offeredTools ? { offeredTools: summary.offeredTools } : {}),
      toolResults: [],
      usage: summary.usage,
      restored: true,
    }));
    return state;
  }
}
