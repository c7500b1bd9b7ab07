/** What a run resolves with. */
import type { Usage } from '@interplay/protocol';
import type { RunState } from './state.ts';
import type { FinishReason, PendingApproval, StepResult } from './types.ts';

export interface RunResult<TOutput = undefined> {
  runId: string;
  finishReason: FinishReason;
  /** The last step's answer text: the text of its last `model_output` (see `answerText`). */
  text: string;
  /** With `responseFormat`: the parsed, validated answer (when `finishReason` is `completed`). */
  output: TOutput | undefined;
  steps: StepResult[];
  /** Sum over all steps (including steps before a resume). */
  usage: Usage;
  /** Calls waiting for `state.approve` / `state.reject` (when `finishReason` is `interrupted`). */
  interruptions: PendingApproval[];
  /** The run state, to resume (`runner.run(state)`) or serialize (`JSON.stringify(state)`). */
  state: RunState;
  /** The last interaction of the chain (stateful mode: `previous_interaction_id` of a follow-up). */
  lastInteractionId: string | undefined;
}
