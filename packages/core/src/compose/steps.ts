/**
 * Steps of a composed flow, as plain data: a discriminated union on `kind`.
 *
 * - `agent`    one agent interaction (e.g. Deep Research), in the background by default;
 * - `model`    one model interaction — or, when given function tools, a core `Runner` run (several);
 * - `chain`    steps one after another, each continuing the previous one's interaction by
 *              `previous_interaction_id` (the context is handed over by reference, never re-sent);
 * - `parallel` branches at once (fan-out); the step after it (fan-in) continues one branch and gets the
 *              others' outputs embedded in its input (see {@link ParallelStep}).
 *
 * @example
 * const research = agentStep({ agent: 'deep-research-pro-preview-12-2025', agentConfig: { thinking_summaries: 'auto' } });
 * const summarize = modelStep({ model: 'gemini-3-flash-preview', input: 'Summarize the report in 5 bullets.' });
 * const handle = await chain(research, summarize).start(client, 'Research TPU history');
 */
import type { AgentConfig, GenerationConfig, Tool as WireTool } from '@interplay/protocol';
import type { RunInput } from '../run/input.ts';
import type { RunnerTool } from '../run/options.ts';
import { isToolDefinition } from '../tool/tool.ts';
import type { StepContext } from './context.ts';
import { FlowDefinitionError } from './errors.ts';
import type { WebhookWait } from './webhook-wait.ts';

/** A step's input: fixed, or computed when the step starts (from the flow input and earlier results). */
export type StepInput = RunInput | ((ctx: StepContext) => RunInput | Promise<RunInput>);

/**
 * Which interaction a step continues (`previous_interaction_id`):
 * - absent: the natural one — the previous step of its chain (or what its chain/parallel continues);
 * - a step name: that step's interaction (a fork: branch from any earlier step);
 * - `null`: none, a fresh conversation.
 */
export type StepSource = string | null;

export interface AgentStep {
  kind: 'agent';
  name: string;
  /** Agent id, e.g. `deep-research-pro-preview-12-2025`. */
  agent: string;
  /** Default: the flow's input. */
  input?: StepInput;
  /** Default `true` (Deep Research requires it): create returns at once, the flow follows the run. */
  background: boolean;
  /** `agent_config`; `type` defaults to `deep-research` for `deep-research-*` agents. */
  agentConfig?: AgentConfig;
  /** Tools for the agent (e.g. `mcp_server`); absent: the agent's defaults. */
  tools?: WireTool[];
  /** Wait for the run's webhook instead of following it (no progress events); see webhook-wait.ts. */
  webhook?: WebhookWait;
  from?: StepSource;
}

export interface ModelStep {
  kind: 'model';
  name: string;
  model: string;
  /** Default: the flow's input. */
  input?: StepInput;
  /** `system_instruction` (interaction-scoped: never inherited from the previous step). */
  instructions?: string;
  /**
   * Built-in tools (`{ type: 'google_search' }`, …) go in the request; function tools (`tool(…)`) make the
   * step a core `Runner` run: function calls are executed locally until the model answers.
   */
  tools?: RunnerTool[];
  generationConfig?: GenerationConfig;
  /** Run in the background and follow it (default `false`). Not with function tools. */
  background: boolean;
  /** Stream the interaction for progress events (default `true`). */
  stream: boolean;
  /** Runner steps: most model calls (default: the Runner's, 10). */
  maxSteps?: number;
  /** A background step: wait for its webhook instead of following it; see webhook-wait.ts. */
  webhook?: WebhookWait;
  from?: StepSource;
}

export interface ChainStep {
  kind: 'chain';
  name: string;
  steps: Step[];
}

/**
 * Branches run at once. A step after a `parallel` continues branch `continueFrom` (default 0) by
 * `previous_interaction_id` — the API has a single previous interaction — and, with `embed: 'others'`
 * (default), gets the final text of every other branch prepended to its input, labelled with the branch
 * name and interaction id. With `embed: 'none'` build the input yourself from `ctx.results`.
 */
export interface ParallelStep {
  kind: 'parallel';
  name: string;
  branches: Step[];
  continueFrom: number;
  embed: 'others' | 'none';
}

export type Step = AgentStep | ModelStep | ChainStep | ParallelStep;
export type LeafStep = AgentStep | ModelStep;
export type StepKind = Step['kind'];

// ---- constructors --------------------------------------------------------------------------------

export interface AgentStepOptions {
  agent: string;
  name?: string;
  input?: StepInput;
  background?: boolean;
  /** `type` may be left out: `deep-research` is filled in for `deep-research-*` agents. */
  agentConfig?: Partial<AgentConfig> & Record<string, unknown>;
  tools?: WireTool[];
  webhook?: WebhookWait;
  from?: StepSource;
}

export function agentStep(options: AgentStepOptions): AgentStep {
  const step: AgentStep = {
    kind: 'agent',
    name: options.name ?? options.agent,
    agent: options.agent,
    background: options.background ?? true,
  };
  if (options.input !== undefined) step.input = options.input;
  if (options.agentConfig !== undefined) {
    const type =
      options.agentConfig.type ?? (options.agent.startsWith('deep-research') ? 'deep-research' : undefined);
    step.agentConfig = { ...options.agentConfig, ...(type ? { type } : {}) } as AgentConfig;
  }
  if (options.tools !== undefined) step.tools = options.tools;
  if (options.webhook !== undefined) {
    if (!step.background)
      throw new FlowDefinitionError(`Agent step '${step.name}': a webhook needs background: true.`);
    step.webhook = options.webhook;
  }
  if (options.from !== undefined) step.from = options.from;
  return step;
}

export interface ModelStepOptions {
  model: string;
  name?: string;
  input?: StepInput;
  instructions?: string;
  tools?: RunnerTool[];
  generationConfig?: GenerationConfig;
  background?: boolean;
  stream?: boolean;
  maxSteps?: number;
  webhook?: WebhookWait;
  from?: StepSource;
}

export function modelStep(options: ModelStepOptions): ModelStep {
  const step: ModelStep = {
    kind: 'model',
    name: options.name ?? options.model,
    model: options.model,
    background: options.background ?? false,
    stream: options.stream ?? true,
  };
  for (const key of [
    'input',
    'instructions',
    'tools',
    'generationConfig',
    'maxSteps',
    'webhook',
    'from',
  ] as const) {
    if (options[key] !== undefined) (step as unknown as Record<string, unknown>)[key] = options[key];
  }
  if (step.background && usesRunner(step))
    throw new FlowDefinitionError(`Model step '${step.name}': function tools cannot run in the background.`);
  if (step.webhook && !step.background)
    throw new FlowDefinitionError(`Model step '${step.name}': a webhook needs background: true.`);
  return step;
}

/** Whether a model step runs through a core `Runner` (it has function tools to execute locally). */
export function usesRunner(step: ModelStep): boolean {
  return (step.tools ?? []).some((t) => isToolDefinition(t));
}

/** A step, or a flow built from steps. */
export type StepLike = Step | { readonly root: Step };

export function toStep(step: StepLike): Step {
  return 'root' in step && !('kind' in step) ? step.root : (step as Step);
}
