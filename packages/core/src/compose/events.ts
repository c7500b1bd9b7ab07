/**
 * Progress events of a flow. Those that come from a server stream carry `cursor` — the interaction id and the
 * server's `event_id` — which is also what a saved handle resumes after, so a resumed handle never repeats
 * an event the first one delivered.
 */
import type { InteractionStatus, Usage } from '@interplay/protocol';
import type { StreamCursor } from '../run/events.ts';
import type { FlowStepResult } from './context.ts';

interface StepEventBase {
  flowId: string;
  /** The step's name. */
  step: string;
}

export interface FlowStartEvent {
  type: 'flow_start';
  flowId: string;
  /** True for a handle restored with `FlowHandle.fromJSON`. */
  resumed: boolean;
}
export interface FlowStepStartEvent extends StepEventBase {
  type: 'step_start';
  kind: 'agent' | 'model';
  /** Known at once for background steps; for streamed ones see the first `status` event. */
  interactionId: string | undefined;
  previousInteractionId: string | undefined;
  /** True when a resumed handle picks up a step that was already running. */
  resumed: boolean;
}
export interface FlowStatusEvent extends StepEventBase {
  type: 'status';
  interactionId: string;
  status: InteractionStatus;
  cursor?: StreamCursor;
}
export interface FlowThoughtEvent extends StepEventBase {
  type: 'thought_summary';
  text: string;
  cursor?: StreamCursor;
}
export interface FlowTextDeltaEvent extends StepEventBase {
  type: 'text_delta';
  delta: string;
  cursor?: StreamCursor;
}
export interface FlowToolCallEvent extends StepEventBase {
  type: 'tool_call';
  /** `google_search_call`, `url_context_call`, `function_call`, … */
  callType: string;
  id: string;
  /** Function and MCP tool name, when the call has one. */
  name?: string;
  arguments: unknown;
  cursor?: StreamCursor;
}
export interface FlowToolResultEvent extends StepEventBase {
  type: 'tool_result';
  /** `google_search_result`, `url_context_result`, `function_result`, … */
  resultType: string;
  callId: string;
  name?: string;
  isError: boolean;
  result: unknown;
  cursor?: StreamCursor;
}
export interface FlowStepFinishEvent extends StepEventBase {
  type: 'step_finish';
  result: FlowStepResult;
}
export interface FlowFinishEvent {
  type: 'flow_finish';
  flowId: string;
  status: FlowStatus;
  usage: Usage;
}

export type FlowEvent =
  | FlowStartEvent
  | FlowStepStartEvent
  | FlowStatusEvent
  | FlowThoughtEvent
  | FlowTextDeltaEvent
  | FlowToolCallEvent
  | FlowToolResultEvent
  | FlowStepFinishEvent
  | FlowFinishEvent;

export type FlowEventType = FlowEvent['type'];

/** Listener signatures for `handle.on(type, listener)`. */
export type FlowEventMap = { [K in FlowEventType]: (event: Extract<FlowEvent, { type: K }>) => void };

/**
 * How a flow ended: `completed`; `failed` (a step ended other than completed, or a call failed — see
 * `result.error`); `cancelled` (`handle.cancel()` or a step cancelled on the server); `detached`
 * (`handle.detach()`: this process stopped following, the server work goes on — resume from `toJSON()`).
 */
export type FlowStatus = 'completed' | 'failed' | 'cancelled' | 'detached';
