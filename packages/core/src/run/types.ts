/** The data a run produces: tool calls and results, steps, finish reasons, pending approvals. */
import type { InteractionStatus, Item, Usage } from '@interplay/protocol';

/** Why a run ended (it did not throw). */
export type FinishReason =
  /** The model answered without calling a tool. */
  | 'completed'
  /** `maxSteps` model calls were made and the model still wanted to go on. */
  | 'max_steps'
  /** A `stopWhen` condition held after a step. */
  | 'stop_condition'
  /** A tool listed in `stopAtTools` ran. */
  | 'stop_tool'
  /** Calls wait for a human decision: see `result.interruptions`. */
  | 'interrupted'
  /** The interaction ended `incomplete` (e.g. the output token limit). */
  | 'incomplete'
  /** The interaction was cancelled server-side. */
  | 'cancelled'
  /** The interaction ran out of budget. */
  | 'budget_exceeded'
  /**
   * The interaction settled waiting for its caller (SDK 3.6 statuses): `idle` — an agent waits for its next
   * turn; `requires_continuation` — the service asks for another turn to go on. The run ends there; continue
   * with a new run on `result.lastInteractionId` when that is what you want.
   */
  | 'idle'
  | 'requires_continuation';

/** A function call made by the model. `arguments` are as the model sent them (not yet validated). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: unknown;
}

/** How a call failed (absent on success). */
export type ToolErrorKind = 'unknown_tool' | 'invalid_arguments' | 'execution_error' | 'timeout' | 'rejected';

/** The outcome of one call, as sent back to the model. */
export interface ToolResult {
  callId: string;
  name: string;
  /** The `function_result.result` value sent to the model. */
  result: unknown;
  isError: boolean;
  errorKind?: ToolErrorKind;
  /** The thrown error, for `execution_error` (in memory only, not serialized). */
  error?: unknown;
  durationMs: number;
}

/** One model call and the tool calls it made. */
export interface StepResult {
  /** 1-based. */
  step: number;
  interactionId: string | undefined;
  status: InteractionStatus;
  /** Items the model produced (empty for steps restored from a serialized state). */
  output: Item[];
  /** The step's answer text: the text of its last `model_output` (`answerText`; `''` for restored steps). */
  text: string;
  /**
   * The function tools offered to the model in this step, by name: the runner's, or what `prepareStep`
   * returned. Kept in the serialized state, so a resumed run finds the tools of a paused step's calls.
   * Absent for steps restored from a state of `schemaVersion` 1.
   */
  offeredTools?: string[];
  toolCalls: ToolCall[];
  toolResults: ToolResult[];
  usage: Usage;
  /** True for a step restored from `RunState.fromJSON` (details other than names and usage are gone). */
  restored?: boolean;
}

/** A call paused for a human decision. */
export interface PendingApproval {
  callId: string;
  toolName: string;
  arguments: unknown;
  step: number;
  /** A call inside a sub-agent (`agent.asTool()`): that sub-agent's name (`outer/inner` when nested). */
  agent?: string;
}
