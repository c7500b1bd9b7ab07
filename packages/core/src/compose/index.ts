/** Composition of agent and model steps: chain, parallel, durable flow handles. See docs/core/composition.md. */
export type { FlowStepResult, StepContext } from './context.ts';
export { FlowDefinitionError, FlowResumeError } from './errors.ts';
export type * from './events.ts';
export {
  chain,
  Flow,
  FlowHandle,
  type FlowResumeOptions,
  type FlowStartOptions,
  flow,
  type ParallelOptions,
  parallel,
} from './flow.ts';
export {
  FLOW_HANDLE_VERSION,
  type LeafState,
  type LeafStatus,
  type SavedFlow,
  type SavedStep,
} from './state.ts';
export type { FlowResult } from './step-results.ts';
export {
  type AgentStep,
  type AgentStepOptions,
  agentStep,
  type ChainStep,
  type LeafStep,
  type ModelStep,
  type ModelStepOptions,
  modelStep,
  type ParallelStep,
  type Step,
  type StepInput,
  type StepKind,
  type StepLike,
  type StepSource,
} from './steps.ts';
export type { WebhookWait } from './webhook-wait.ts';
