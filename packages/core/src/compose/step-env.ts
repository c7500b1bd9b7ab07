/** What the parts of a running flow share with the code that runs one of its steps. */
import type { InteractionsBackend } from '../backend/backend.ts';
import type { FlowEvent } from './events.ts';
import type { LeafState } from './state.ts';
import type { LeafStep } from './steps.ts';

export interface StepEnv {
  readonly flowId: string;
  readonly backend: InteractionsBackend;
  /** Aborts when the flow is cancelled or detached, or another step failed. */
  readonly signal: AbortSignal;
  emit(event: FlowEvent): void;
  /** The step starts running (`step_start`); `interactionId` when the server already gave one. */
  begin(leaf: LeafState, step: LeafStep, interactionId: string | undefined, resumed: boolean): void;
  /** The step's current interaction is `id` (the flow's first one also lets `start()` return). */
  noteInteraction(leaf: LeafState, id: string): void;
}
