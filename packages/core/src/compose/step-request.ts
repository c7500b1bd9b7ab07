/**
 * The request of a step about to start: its input (fixed, or computed from the flow's input and earlier
 * results), the interaction it continues (`previous_interaction_id`), the other branches' outputs embedded
 * after a parallel, and the agent's or model's own fields.
 */
import type { CanonicalRequest, Item, MediaContent } from '@interplay/protocol';
import { type RunInput, toItems } from '../run/input.ts';
import type { FlowStepResult, StepContext } from './context.ts';
import { type FlowIndex, type LeafState, type Node, sourceOf } from './state.ts';
import type { AgentStep, LeafStep, ModelStep } from './steps.ts';
import { withWebhookConfig } from './webhook-wait.ts';

export interface RequestSources {
  index: FlowIndex;
  /** The flow's input, as given to `start`. */
  input: RunInput;
  /** What the flow as a whole continues (`previousInteractionId` of `start`). */
  previousInteractionId: string | undefined;
  leafAt(path: string): LeafState;
  /** A step's result (read back from the server for a step finished before a resume). */
  resultOf(path: string): Promise<FlowStepResult>;
  /** Every completed step's result, by name. */
  completedResults(): Promise<Record<string, FlowStepResult>>;
}

/** The request for `node`; also records on `leaf` which interaction it continues. */
export async function stepRequest(
  sources: RequestSources,
  node: Node,
  leaf: LeafState,
): Promise<CanonicalRequest> {
  const step = node.step as LeafStep;
  const source = sourceOf(sources.index, node);
  const previousId = source.leaf
    ? sources.leafAt(source.leaf.path).interactionId
    : source.fresh
      ? undefined
      : sources.previousInteractionId;
  let raw: RunInput;
  if (typeof step.input === 'function') {
    const ctx: StepContext = {
      input: sources.input,
      step: step.name,
      previous: source.leaf ? await sources.resultOf(source.leaf.path) : undefined,
      results: await sources.completedResults(),
    };
    raw = await step.input(ctx);
  } else raw = step.input ?? sources.input;
  let input = toItems(structuredClone(raw));
  if (source.embeds.length > 0) {
    const parts = await Promise.all(source.embeds.map((n) => sources.resultOf(n.path)));
    input = embed(input, parts);
  }
  if (previousId !== undefined) leaf.previousInteractionId = previousId;
  const request: CanonicalRequest = { input };
  if (previousId !== undefined) request.previous_interaction_id = previousId;
  const built = step.kind === 'agent' ? agentRequest(step, request) : modelRequest(step, request);
  return step.webhook ? withWebhookConfig(built, step.webhook) : built;
}

function agentRequest(step: AgentStep, request: CanonicalRequest): CanonicalRequest {
  return {
    ...request,
    agent: step.agent,
    background: step.background,
    ...(step.agentConfig === undefined ? {} : { agent_config: step.agentConfig }),
    ...(step.tools === undefined ? {} : { tools: step.tools }),
  };
}

function modelRequest(step: ModelStep, request: CanonicalRequest): CanonicalRequest {
  const tools = (step.tools ?? []) as CanonicalRequest['tools'];
  return {
    ...request,
    model: step.model,
    ...(step.background ? { background: true } : {}),
    ...(step.instructions === undefined ? {} : { system_instruction: step.instructions }),
    ...(tools && tools.length > 0 ? { tools } : {}),
    ...(step.generationConfig === undefined ? {} : { generation_config: step.generationConfig }),
  };
}

/**
 * The other branches' outputs, as text parts at the start of the step's (first) user input:
 * `[Output of step 'b' (interaction v1_…)]` then the text.
 */
function embed(input: Item[], results: FlowStepResult[]): Item[] {
  const parts: MediaContent[] = results.map((r) => ({
    type: 'text',
    text: `[Output of step '${r.name}'${r.interactionId ? ` (interaction ${r.interactionId})` : ''}]\n${r.text}\n\n`,
  }));
  const at = input.findIndex((item) => item.type === 'user_input');
  if (at < 0) return [{ type: 'user_input', content: parts }, ...input];
  const copy = [...input];
  const user = copy[at]!;
  copy[at] = { ...user, content: [...parts, ...((user.content ?? []) as MediaContent[])] } as Item;
  return copy;
}
