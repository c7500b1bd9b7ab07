/**
 * The flow's state as data, and the pure decisions over it:
 * - the step tree indexed by path (`"0"`, `"1.0"` …) with each node's place (parent, position);
 * - one {@link LeafState} per agent/model step — a small state machine
 *   `pending → running → completed | failed | cancelled`, with the interaction ids and the stream cursor;
 * - {@link nextActions}: from the tree and the leaf states, which steps to start or follow now, or how the
 *   flow ended;
 * - which interaction a step continues ({@link sourceOf}) and whose outputs it embeds (after a parallel);
 * - the versioned, JSON-safe saved form of a handle ({@link SavedFlow}) and of the step tree.
 */
import type {
  AgentConfig,
  GenerationConfig,
  InteractionStatus,
  Usage,
  Tool as WireTool,
} from '@interplay/protocol';
import type { RunInput } from '../run/input.ts';
import type { RunnerTool } from '../run/options.ts';
import type { SerializedRunState } from '../run/state.ts';
import { isToolDefinition } from '../tool/tool.ts';
import { FlowDefinitionError, FlowResumeError } from './errors.ts';
import type { FlowStatus } from './events.ts';
import type { LeafStep, Step, StepInput } from './steps.ts';
import type { WebhookWait } from './webhook-wait.ts';

/** Bumped on every incompatible change of {@link SavedFlow}. */
export const FLOW_HANDLE_VERSION = 1;

export type LeafStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface LeafState {
  path: string;
  name: string;
  kind: 'agent' | 'model';
  status: LeafStatus;
  /** The step's current (last) interaction. */
  interactionId?: string;
  interactionIds: string[];
  previousInteractionId?: string;
  /** The last server `event_id` delivered as progress: a resumed handle streams from after it. */
  cursor?: string;
  /** Runner steps: the run state after its last finished model call (resume point). */
  runState?: SerializedRunState;
  /** The interaction's final status (`completed`, `failed`, `incomplete`, `requires_action`, …). */
  interactionStatus?: InteractionStatus;
  error?: { code: string; message: string };
  usage?: Usage;
}

/** A handle saved with `handle.toJSON()`: enough to go on in another process. */
export interface SavedFlow {
  type: 'interplay.flow';
  version: typeof FLOW_HANDLE_VERSION;
  flowId: string;
  status: 'running' | FlowStatus;
  /** The names of the steps running when it was saved. */
  current: string[];
  input: RunInput;
  previousInteractionId?: string;
  steps: LeafState[];
  /** The step tree; function inputs and function tools are marked, not saved (see `FlowHandle.fromJSON`). */
  definition: SavedStep;
}

// ---- the indexed tree ------------------------------------------------------------------------------

export interface Node {
  path: string;
  step: Step;
  parent: Node | undefined;
  /** Position in the parent's `steps` / `branches`. */
  index: number;
  children: Node[];
}

export interface FlowIndex {
  root: Node;
  nodes: Map<string, Node>;
  leaves: Node[];
  /** Every step by name (leaf names are unique; a composite name used twice maps to undefined). */
  byName: Map<string, Node | undefined>;
}

/**
 * Indexes the tree, checking it: names (agent/model step names unique), non-empty chains and parallels, a valid
 * `continueFrom`; with `sources` (default) also that every `from` names one step of this tree — off for a
 * sub-flow built on its own, whose `from` may name a step of the flow it will be part of.
 */
export function indexFlow(root: Step, options: { sources?: boolean } = {}): FlowIndex {
  const nodes = new Map<string, Node>();
  const leaves: Node[] = [];
  const byName = new Map<string, Node | undefined>();
  const visit = (step: Step, path: string, parent: Node | undefined, index: number): Node => {
    const node: Node = { path, step, parent, index, children: [] };
    nodes.set(path, node);
    if (!step.name) throw new FlowDefinitionError(`The step at ${path} has no name.`);
    const leaf = step.kind === 'agent' || step.kind === 'model';
    if (byName.has(step.name)) {
      const other = byName.get(step.name);
      if (leaf || (other && (other.step.kind === 'agent' || other.step.kind === 'model'))) {
        throw new FlowDefinitionError(
          `Two steps are named '${step.name}': give each agent/model step a distinct \`name\`.`,
        );
      }
      byName.set(step.name, undefined);
    } else byName.set(step.name, node);
    if (step.kind === 'chain' || step.kind === 'parallel') {
      const list = step.kind === 'chain' ? step.steps : step.branches;
      if (list.length === 0) throw new FlowDefinitionError(`The ${step.kind} '${step.name}' has no steps.`);
      if (step.kind === 'parallel' && !(step.continueFrom >= 0 && step.continueFrom < list.length)) {
        throw new FlowDefinitionError(
          `The parallel '${step.name}' continues from branch ${step.continueFrom}, but has ${list.length}.`,
        );
      }
      node.children = list.map((child, i) => visit(child, path ? `${path}.${i}` : String(i), node, i));
    } else leaves.push(node);
    return node;
  };
  const rootNode = visit(root, '', undefined, 0);
  for (const leaf of options.sources === false ? [] : leaves) {
    const from = (leaf.step as LeafStep).from;
    if (typeof from === 'string') {
      if (!byName.has(from))
        throw new FlowDefinitionError(`Step '${leaf.step.name}' continues an unknown step '${from}'.`);
      if (byName.get(from) === undefined)
        throw new FlowDefinitionError(
          `Step '${leaf.step.name}' continues '${from}', a name used by several steps.`,
        );
    }
  }
  return { root: rootNode, nodes, leaves, byName };
}

// ---- what happens next ----------------------------------------------------------------------------

export type Action = { kind: 'start' | 'follow'; path: string };
export type Outcome = 'busy' | 'completed' | 'failed' | 'cancelled';

/**
 * The steps to act on now: `start` a pending leaf whose predecessors completed, `follow` a running one.
 * The outcome is `completed` when every step completed, `failed`/`cancelled` as soon as one did.
 */
export function nextActions(
  index: FlowIndex,
  leaves: ReadonlyMap<string, LeafState>,
): { outcome: Outcome; actions: Action[] } {
  const actions: Action[] = [];
  const walk = (node: Node, ready: boolean): Outcome => {
    const { step } = node;
    if (step.kind === 'agent' || step.kind === 'model') {
      const leaf = leaves.get(node.path)!;
      switch (leaf.status) {
        case 'completed':
          return 'completed';
        case 'failed':
        case 'cancelled':
          return leaf.status;
        case 'running':
          actions.push({ kind: 'follow', path: node.path });
          return 'busy';
        case 'pending':
          if (ready && sourceReady(index, node, leaves)) actions.push({ kind: 'start', path: node.path });
          return 'busy';
      }
    }
    if (step.kind === 'chain') {
      for (const child of node.children) {
        const outcome = walk(child, ready);
        if (outcome !== 'completed') return outcome;
      }
      return 'completed';
    }
    const outcomes = node.children.map((child) => walk(child, ready));
    if (outcomes.includes('failed')) return 'failed';
    if (outcomes.includes('cancelled')) return 'cancelled';
    return outcomes.every((o) => o === 'completed') ? 'completed' : 'busy';
  };
  const outcome = walk(index.root, true);
  return { outcome, actions: outcome === 'busy' ? actions : [] };
}

/** A `from: 'name'` step also waits for that step. */
function sourceReady(index: FlowIndex, node: Node, leaves: ReadonlyMap<string, LeafState>): boolean {
  const from = (node.step as LeafStep).from;
  if (typeof from !== 'string') return true;
  return leavesUnder(index.byName.get(from)!).every((l) => leaves.get(l.path)?.status === 'completed');
}

export function leavesUnder(node: Node): Node[] {
  return node.children.length === 0 ? [node] : node.children.flatMap(leavesUnder);
}

// ---- which interaction a step continues -----------------------------------------------------------

export interface Source {
  /** The leaf whose interaction is continued (undefined: the flow's `previousInteractionId`, or none). */
  leaf: Node | undefined;
  /** Leaves whose final text is embedded in the input (the other branches of a parallel). */
  embeds: Node[];
  /** True for `from: null`: a fresh conversation, not even the flow's `previousInteractionId`. */
  fresh: boolean;
}

/** What a leaf continues: see {@link StepSource} and {@link ParallelStep}. */
export function sourceOf(index: FlowIndex, leaf: Node): Source {
  const from = (leaf.step as LeafStep).from;
  if (from === null) return { leaf: undefined, embeds: [], fresh: true };
  if (typeof from === 'string') return exitOf(index.byName.get(from)!);
  return entryOf(leaf);
}

/** What a node continues when it starts: its chain predecessor's exit, or (first in line) its parent's entry. */
function entryOf(node: Node): Source {
  const parent = node.parent;
  if (!parent) return { leaf: undefined, embeds: [], fresh: false }; // the flow's start
  if (parent.step.kind === 'chain' && node.index > 0) return exitOf(parent.children[node.index - 1]!);
  return entryOf(parent);
}

/** The interaction a node ends with: a leaf's own; a chain's last step's; a parallel's `continueFrom` branch's. */
export function exitOf(node: Node): Source {
  const { step } = node;
  if (step.kind === 'agent' || step.kind === 'model') return { leaf: node, embeds: [], fresh: false };
  if (step.kind === 'chain') return exitOf(node.children.at(-1)!);
  const main = exitOf(node.children[step.continueFrom]!);
  if (step.embed === 'none') return main;
  const others = node.children
    .filter((_, i) => i !== step.continueFrom)
    .flatMap((child) => {
      const exit = exitOf(child);
      return [...(exit.leaf ? [exit.leaf] : []), ...exit.embeds];
    });
  return { ...main, embeds: [...main.embeds, ...others] };
}

// ---- saving the step tree -------------------------------------------------------------------------

type SavedInput = { value: RunInput } | { function: true };
type SavedTool = WireTool | { function: string };
/** A webhook wait as saved: where the server sends the event; the inbox lives in the process that waits. */
type SavedWebhook = Omit<WebhookWait, 'inbox'>;

export type SavedStep =
  | {
      kind: 'agent';
      name: string;
      agent: string;
      background: boolean;
      input?: SavedInput;
      agentConfig?: AgentConfig;
      tools?: WireTool[];
      webhook?: SavedWebhook;
      from?: string | null;
    }
  | {
      kind: 'model';
      name: string;
      model: string;
      background: boolean;
      stream: boolean;
      input?: SavedInput;
      instructions?: string;
      tools?: SavedTool[];
      generationConfig?: GenerationConfig;
      maxSteps?: number;
      webhook?: SavedWebhook;
      from?: string | null;
    }
  | { kind: 'chain'; name: string; steps: SavedStep[] }
  | { kind: 'parallel'; name: string; branches: SavedStep[]; continueFrom: number; embed: 'others' | 'none' };

export function saveStep(step: Step): SavedStep {
  switch (step.kind) {
    case 'chain':
      return { kind: 'chain', name: step.name, steps: step.steps.map(saveStep) };
    case 'parallel':
      return {
        kind: 'parallel',
        name: step.name,
        branches: step.branches.map(saveStep),
        continueFrom: step.continueFrom,
        embed: step.embed,
      };
    case 'agent': {
      const { input, webhook, ...rest } = step;
      return clean({
        ...rest,
        ...(input === undefined ? {} : { input: saveInput(input) }),
        ...(webhook === undefined ? {} : { webhook: saveWebhook(webhook) }),
      });
    }
    case 'model': {
      const { input, tools, webhook, ...rest } = step;
      return clean({
        ...rest,
        ...(input === undefined ? {} : { input: saveInput(input) }),
        ...(tools === undefined ? {} : { tools: tools.map(saveTool) }),
        ...(webhook === undefined ? {} : { webhook: saveWebhook(webhook) }),
      });
    }
  }
}

const FUNCTION_INPUT = (): never => {
  throw new FlowResumeError('unreachable: a function input of a saved flow was called');
};

/** The step tree back from its saved form; function inputs/tools become markers {@link needsFlow} finds. */
export function loadStep(saved: SavedStep): Step {
  switch (saved.kind) {
    case 'chain':
      return { kind: 'chain', name: saved.name, steps: saved.steps.map(loadStep) };
    case 'parallel':
      return { ...saved, branches: saved.branches.map(loadStep) };
    case 'agent': {
      const { input, webhook, ...rest } = saved;
      return {
        ...rest,
        ...(input === undefined ? {} : { input: loadInput(input) }),
        ...(webhook === undefined ? {} : { webhook: loadWebhook(webhook) }),
      };
    }
    case 'model': {
      const { input, tools, webhook, ...rest } = saved;
      return {
        ...rest,
        ...(input === undefined ? {} : { input: loadInput(input) }),
        ...(tools === undefined ? {} : { tools: tools.map(loadTool) }),
        ...(webhook === undefined ? {} : { webhook: loadWebhook(webhook) }),
      };
    }
  }
}

const SAVED_FUNCTION = Symbol('saved function');

function saveWebhook(wait: WebhookWait): SavedWebhook {
  const { inbox: _inProcess, ...saved } = wait;
  return saved;
}

/** Without its inbox (a marker {@link needsFlow} finds): the flow given to resume brings one. */
function loadWebhook(saved: SavedWebhook): WebhookWait {
  return { ...saved, [SAVED_FUNCTION]: true } as unknown as WebhookWait;
}

/** Why a restored step cannot go on without the original flow (function input or tools, a webhook's inbox), if so. */
export function needsFlow(step: LeafStep, status: LeafStatus): string | undefined {
  if (status === 'completed' || status === 'failed' || status === 'cancelled') return undefined;
  const tools = step.kind === 'model' ? (step.tools ?? []) : [];
  const fnTools = tools.filter((t) => (t as { [SAVED_FUNCTION]?: true })[SAVED_FUNCTION]);
  if (fnTools.length > 0) {
    const names = fnTools.map((t) => (t as { name?: string }).name).join(', ');
    return `step '${step.name}' runs function tools (${names})`;
  }
  if (step.webhook && (step.webhook as { [SAVED_FUNCTION]?: true })[SAVED_FUNCTION])
    return `step '${step.name}' waits for its webhook (the inbox your receiver hands events to)`;
  if (
    status === 'pending' &&
    typeof step.input === 'function' &&
    (step.input as { [SAVED_FUNCTION]?: true })[SAVED_FUNCTION]
  )
    return `step '${step.name}' computes its input with a function`;
  return undefined;
}

/** A fingerprint of the tree's shape (kinds, names, positions), to check a flow matches a saved handle. */
export function shapeOf(step: Step | SavedStep): string {
  switch (step.kind) {
    case 'chain':
      return `chain(${step.name}:${step.steps.map(shapeOf).join(',')})`;
    case 'parallel':
      return `parallel(${step.name}:${step.branches.map(shapeOf).join(',')})`;
    default:
      return `${step.kind}(${step.name})`;
  }
}

function saveInput(input: StepInput): SavedInput {
  return typeof input === 'function' ? { function: true } : { value: input };
}

function loadInput(saved: SavedInput): StepInput {
  if ('value' in saved) return saved.value;
  const fn = Object.assign(FUNCTION_INPUT, { [SAVED_FUNCTION]: true as const });
  return fn as unknown as StepInput;
}

function saveTool(tool: RunnerTool): SavedTool {
  return isToolDefinition(tool) ? { function: tool.name } : tool;
}

function loadTool(saved: SavedTool): RunnerTool {
  if ('function' in saved && typeof saved.function === 'string' && !('type' in saved)) {
    return { type: 'function', name: saved.function, [SAVED_FUNCTION]: true } as unknown as RunnerTool;
  }
  return saved as WireTool;
}

/** JSON-safe: drops undefined fields. */
function clean<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
