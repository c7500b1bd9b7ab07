/**
 * A flow's results: a leaf's final state and {@link FlowStepResult} when its interaction settles or it fails,
 * results of steps finished before a resume read back from the server, and the {@link FlowResult} the flow
 * ends with.
 */
import { addUsage, answerText, type CanonicalInteraction, type Item, type Usage } from '@interplay/protocol';
import type { InteractionsBackend } from '../backend/backend.ts';
import type { FinishReason } from '../run/types.ts';
import type { FlowStepResult } from './context.ts';
import type { FlowStatus } from './events.ts';
import type { FlowIndex, LeafState, Node } from './state.ts';
import type { LeafStep } from './steps.ts';

export interface FlowResult {
  flowId: string;
  status: FlowStatus;
  /** The answer text of the flow's exit step (a chain's last step; a parallel's `continueFrom` branch). */
  text: string;
  /** The exit step's interaction: continue the conversation from it with `previous_interaction_id`. */
  interactionId: string | undefined;
  /** Every agent/model step, by name. */
  steps: Record<string, FlowStepResult>;
  usage: Usage;
  /** Why the flow failed: the first failed step and its error. */
  error?: { step: string; code: string; message: string };
}

/** How a Runner step ended, as an interaction status: stops the flow asked for count as completed. */
export const RUNNER_STATUS: Record<FinishReason, CanonicalInteraction['status']> = {
  completed: 'completed',
  stop_condition: 'completed',
  stop_tool: 'completed',
  max_steps: 'incomplete',
  incomplete: 'incomplete',
  interrupted: 'requires_action',
  cancelled: 'cancelled',
  budget_exceeded: 'budget_exceeded',
  idle: 'idle',
  requires_continuation: 'requires_continuation',
};

export class StepResults {
  readonly #backend: InteractionsBackend;
  readonly #leaves: ReadonlyMap<string, LeafState>;
  readonly #results = new Map<string, FlowStepResult>();

  constructor(backend: InteractionsBackend, leaves: ReadonlyMap<string, LeafState>) {
    this.#backend = backend;
    this.#leaves = leaves;
  }

  /** The leaf's interaction settled: completed, cancelled, or anything else as a failure. */
  settle(leaf: LeafState, interaction: CanonicalInteraction): FlowStepResult {
    leaf.interactionStatus = interaction.status;
    leaf.usage = interaction.usage ?? {};
    if (interaction.status === 'completed' || interaction.status === 'cancelled') {
      leaf.status = interaction.status;
    } else {
      leaf.status = 'failed';
      const reported = interaction.errors?.[0];
      leaf.error = {
        code:
          reported?.code ??
          (interaction.status === 'failed' ? 'interaction_failed' : `interaction_${interaction.status}`),
        message: reported?.message ?? `The interaction ${interaction.id} ended ${interaction.status}.`,
      };
    }
    return this.#keep(leaf, interaction.output);
  }

  /** The step failed before its interaction settled (the server refused it, a connection failed, …). */
  fail(leaf: LeafState, error: unknown): FlowStepResult {
    leaf.status = 'failed';
    const code = (error as { code?: unknown } | null)?.code;
    leaf.error = {
      code: typeof code === 'string' && code ? code : 'flow_step_failed',
      message: error instanceof Error ? error.message : String(error),
    };
    return this.#keep(leaf, []);
  }

  #keep(leaf: LeafState, output: Item[]): FlowStepResult {
    const result = resultFrom(leaf, output);
    this.#results.set(leaf.path, result);
    return result;
  }

  /** A step's result; for a step finished before a resume, its output is read back from the server. */
  async of(path: string): Promise<FlowStepResult> {
    const kept = this.#results.get(path);
    if (kept) return kept;
    const leaf = this.#leaves.get(path)!;
    let output: Item[] = [];
    if (leaf.interactionId && leaf.status !== 'pending') {
      try {
        output = (await this.#backend.get(leaf.interactionId)).output;
      } catch {
        // the text stays empty; the ids and status are still right
      }
    }
    const settled = leaf.status === 'completed' || leaf.status === 'failed' || leaf.status === 'cancelled';
    return settled ? this.#keep(leaf, output) : resultFrom(leaf, output);
  }

  async completed(): Promise<Record<string, FlowStepResult>> {
    const out: Record<string, FlowStepResult> = {};
    for (const leaf of this.#leaves.values())
      if (leaf.status === 'completed') out[leaf.name] = await this.of(leaf.path);
    return out;
  }

  /** The flow's result. A detached flow answers at once, from what it knows. */
  async flow(flowId: string, index: FlowIndex, status: FlowStatus): Promise<FlowResult> {
    const steps: Record<string, FlowStepResult> = {};
    let usage: Usage = {};
    for (const leaf of this.#leaves.values()) {
      const result =
        status === 'detached'
          ? resultFrom(leaf, this.#results.get(leaf.path)?.output ?? [])
          : await this.of(leaf.path);
      steps[leaf.name] = result;
      usage = addUsage(usage, result.usage);
    }
    const exit = steps[(exitLeaf(index).step as LeafStep).name];
    const failed = [...this.#leaves.values()].find((l) => l.status === 'failed' && l.error);
    return {
      flowId,
      status,
      text: exit?.status === 'completed' ? exit.text : '',
      interactionId: exit?.interactionId,
      steps,
      usage,
      ...(status === 'failed' && failed?.error ? { error: { step: failed.name, ...failed.error } } : {}),
    };
  }
}

function resultFrom(leaf: LeafState, output: Item[]): FlowStepResult {
  const status: FlowStepResult['status'] =
    leaf.interactionStatus ?? (leaf.status === 'running' ? 'in_progress' : leaf.status);
  return {
    name: leaf.name,
    kind: leaf.kind,
    status,
    interactionId: leaf.interactionId,
    interactionIds: [...leaf.interactionIds],
    previousInteractionId: leaf.previousInteractionId,
    text: answerText(output),
    output,
    usage: leaf.usage ?? {},
    ...(leaf.error ? { error: leaf.error } : {}),
  };
}

/** The leaf whose interaction a flow ends with: a chain's last step; a parallel's `continueFrom` branch. */
function exitLeaf(index: FlowIndex): Node {
  let node: Node = index.root;
  for (;;) {
    const { step } = node;
    if (step.kind === 'agent' || step.kind === 'model') return node;
    node = step.kind === 'chain' ? node.children.at(-1)! : node.children[step.continueFrom]!;
  }
}
