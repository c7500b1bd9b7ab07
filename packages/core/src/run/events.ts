/**
 * Run events: what the loop yields (`runner.iterate()`), and what each run's handle emits
 * (`run.on('tool_call', e => …)`) and replays (`run.events()`), the same objects in the same order. Events
 * that come from a server stream carry `cursor`: the interaction id and the server's `event_id`, enough to
 * resume that stream with `client.getStream(interactionId, { lastEventId })`.
 */
import type { InteractionStatus, Usage } from '@interplay/protocol';
import type { FinishReason, PendingApproval, StepResult, ToolCall, ToolResult } from './types.ts';

/** A resumable position in an interaction's server-sent event stream. */
export interface StreamCursor {
  interactionId: string;
  eventId: string;
}

interface Base {
  runId: string;
  /**
   * Agent runs: set on the events of a sub-agent (`agent.asTool()`) that reach its parent's stream — the
   * sub-agent's name (`outer/inner` when sub-agents nest). Absent on the run's own events.
   */
  agent?: string;
}

export interface RunStartEvent extends Base {
  type: 'run_start';
  /** True when the run continues a `RunState`. */
  resumed: boolean;
}
export interface RunFinishEvent extends Base {
  type: 'run_finish';
  finishReason: FinishReason;
  usage: Usage;
}
export interface RunErrorEvent extends Base {
  type: 'run_error';
  error: unknown;
}
export interface StepStartEvent extends Base {
  type: 'step_start';
  step: number;
}
export interface StepFinishEvent extends Base {
  type: 'step_finish';
  step: number;
  result: StepResult;
  /** This step's usage (also `result.usage`). */
  usage: Usage;
}
export interface TextDeltaEvent extends Base {
  type: 'text_delta';
  step: number;
  delta: string;
  cursor?: StreamCursor;
}
export interface ThoughtDeltaEvent extends Base {
  type: 'thought_delta';
  step: number;
  /** A piece of the thought summary. */
  delta: string;
  cursor?: StreamCursor;
}
export interface StatusChangeEvent extends Base {
  type: 'status_change';
  step: number;
  interactionId: string;
  status: InteractionStatus;
  cursor?: StreamCursor;
}
export interface ToolCallEvent extends Base {
  type: 'tool_call';
  step: number;
  call: ToolCall;
  cursor?: StreamCursor;
}
export interface ToolResultEvent extends Base {
  type: 'tool_result';
  step: number;
  result: ToolResult;
}
export interface ApprovalRequestedEvent extends Base {
  type: 'approval_requested';
  pending: PendingApproval[];
}

/** Agent runs: the model took a handoff; the next steps run under agent `to`. */
export interface HandoffEvent extends Base {
  type: 'handoff';
  step: number;
  from: string;
  to: string;
}

export type RunEvent =
  | RunStartEvent
  | RunFinishEvent
  | RunErrorEvent
  | StepStartEvent
  | StepFinishEvent
  | TextDeltaEvent
  | ThoughtDeltaEvent
  | StatusChangeEvent
  | ToolCallEvent
  | ToolResultEvent
  | ApprovalRequestedEvent
  | HandoffEvent;

export type RunEventType = RunEvent['type'];

/** Listener signatures for `run.on(type, listener)`. */
export type RunEventMap = { [K in RunEventType]: (event: Extract<RunEvent, { type: K }>) => void };
