/** What a step's input function sees, and what a finished step produced. */
import type { InteractionStatus, Item, Usage } from '@interplay/protocol';
import type { RunInput } from '../run/input.ts';

/** A leaf step's outcome (agent or model step). */
export interface FlowStepResult {
  name: string;
  kind: 'agent' | 'model';
  /** `pending` until it starts; then the interaction's status (`completed` when it succeeded). */
  status: InteractionStatus | 'pending';
  /** The step's (last) interaction: what a following step continues. */
  interactionId: string | undefined;
  /** Every interaction the step created (several for a model step run by a `Runner`). */
  interactionIds: string[];
  /** The interaction this step continued, if any. */
  previousInteractionId: string | undefined;
  /** The final answer: the text of the last `model_output` (Deep Research's report). */
  text: string;
  /** What the step's last interaction produced. */
  output: Item[];
  usage: Usage;
  error?: { code: string; message: string };
}

export interface StepContext {
  /** The flow's input, as given to `start`. */
  input: RunInput;
  /** This step's name. */
  step: string;
  /** The result this step continues (`previous_interaction_id`), if any. */
  previous: FlowStepResult | undefined;
  /** Every finished step so far, by name. */
  results: Readonly<Record<string, FlowStepResult>>;
}
