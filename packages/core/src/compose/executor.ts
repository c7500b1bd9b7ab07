/**
 * Runs a flow: asks {@link nextActions} what to do, starts or follows those steps (several at once for
 * parallel branches), and asks again whenever one settles — until the flow completes, fails or is cancelled.
 *
 * A step's life: `start` builds its input (the step's own, with other branches' outputs embedded after a
 * parallel) and its `previous_interaction_id`, then
 * - agent / background model step: `create` (returns `in_progress` at once), then `follow`;
 * - foreground model step: a streamed `create`;
 * - model step with function tools: a core `Runner` run continuing that interaction.
 * `follow` streams the interaction from the saved cursor (`getStream(id, { lastEventId })`), checks its status
 * with `GET` when a stream ends, streams again from the new cursor, and falls back to polling when the server
 * cannot stream. Every server event updates the step's cursor *before* its progress event goes out.
 */

import { InteractionsError, isSettled } from '@interplay/client';
import type { CanonicalInteraction, CanonicalRequest, Item, MediaContent, Usage } from '@interplay/protocol';
import { type RunInput, toItems } from '../run/input.ts';
import { Runner } from '../run/runner.ts';
import { RunState } from '../run/state.ts';
import type { FinishReason } from '../run/types.ts';
import { addUsage } from '../run/usage.ts';
import type { FlowStepResult, StepContext } from './context.ts';
import type { FlowEvent, FlowStatus } from './events.ts';
import { finalText, ProgressMapper } from './progress.ts';
import {
  FLOW_HANDLE_VERSION,
  type FlowIndex,
  type LeafState,
  type Node,
  nextActions,
  type SavedFlow,
  saveStep,
  sourceOf,
} from './state.ts';
import { type AgentStep, type LeafStep, type ModelStep, usesRunner } from './steps.ts';
import { waitByWebhook, withWebhookConfig } from './webhook-wait.ts';
import type { FlowClient } from './wire.ts';

export interface FlowResult {
  flowId: string;
  status: FlowStatus;
  /** The final text of the flow's exit step (a chain's last step; a parallel's `continueFrom` branch). */
  text: string;
  /** The exit step's interaction: continue the conversation from it with `previous_interaction_id`. */
  interactionId: string | undefined;
  /** Every agent/model step, by name. */
  steps: Record<string, FlowStepResult>;
  usage: Usage;
  /** Why the flow failed: the first failed step and its error. */
  error?: { step: string; code: string; message: string };
}

export interface FlowRunInit {
  flowId: string;
  index: FlowIndex;
  client: FlowClient;
  input: RunInput;
  previousInteractionId: string | undefined;
  /** Restored leaf states (resume); fresh ones are created for the others. */
  leaves?: LeafState[];
  resumed: boolean;
  emit: (event: FlowEvent) => void;
}

/** Consecutive stream rounds without a new event before following by polling. */
const MAX_QUIET_ROUNDS = 3;
const QUIET_PAUSE_MS = 300;

export class FlowRun {
  readonly flowId: string;
  readonly #index: FlowIndex;
  readonly #client: FlowClient;
  readonly #input: RunInput;
  readonly #previous: string | undefined;
  readonly #resumed: boolean;
  readonly #emitOut: (event: FlowEvent) => void;
  readonly #leaves = new Map<string, LeafState>();
  readonly #results = new Map<string, FlowStepResult>();
  readonly #abort = new AbortController();
  #stopping: 'cancel' | 'detach' | 'fail' | undefined;
  #status: 'running' | FlowStatus = 'running';
  #started!: () => void;
  /** Resolves once the first step has an interaction id (or the flow ended): `start()` waits for it. */
  readonly started: Promise<void>;
  readonly done: Promise<FlowResult>;

  constructor(init: FlowRunInit) {
    this.flowId = init.flowId;
    this.#index = init.index;
    this.#client = init.client;
    this.#input = init.input;
    this.#previous = init.previousInteractionId;
    this.#resumed = init.resumed;
    this.#emitOut = init.emit;
    const restored = new Map((init.leaves ?? []).map((l) => [l.path, l]));
    for (const node of init.index.leaves) {
      const step = node.step as LeafStep;
      this.#leaves.set(
        node.path,
        restored.get(node.path) ?? {
          path: node.path,
          name: step.name,
          kind: step.kind,
          status: 'pending',
          interactionIds: [],
        },
      );
    }
    this.started = new Promise((resolve) => {
      this.#started = resolve;
    });
    this.done = this.#run();
  }

  get status(): 'running' | FlowStatus {
    return this.#status;
  }

  /** The saved form; safe to call at any time (the state is consistent between events). */
  snapshot(): SavedFlow {
    const steps = [...this.#leaves.values()].map((leaf) => structuredClone(leaf));
    return {
      type: 'interplay.flow',
      version: FLOW_HANDLE_VERSION,
      flowId: this.flowId,
      status: this.#status === 'detached' ? 'running' : this.#status,
      current: steps.filter((s) => s.status === 'running').map((s) => s.name),
      input: structuredClone(this.#input),
      ...(this.#previous === undefined ? {} : { previousInteractionId: this.#previous }),
      steps,
      definition: saveStep(this.#index.root.step),
    };
  }

  /** Cancel the running interactions on the server and end the flow `cancelled`. */
  async cancel(): Promise<FlowResult> {
    if (this.#status === 'running' && !this.#stopping) {
      this.#stopping = 'cancel';
      this.#abort.abort(new DOMException('The flow was cancelled.', 'AbortError'));
      await this.#cancelRunning();
    }
    return this.done;
  }

  /** Stop following in this process; the server work goes on. The flow ends `detached`. */
  detach(): void {
    if (this.#status !== 'running' || this.#stopping) return;
    this.#stopping = 'detach';
    this.#abort.abort(new DOMException('The flow was detached.', 'AbortError'));
  }

  #emit(event: FlowEvent): void {
    if (this.#stopping === 'detach') return; // a detached handle says nothing more
    this.#emitOut(event);
  }

  // ---- the loop ----------------------------------------------------------------------------------

  async #run(): Promise<FlowResult> {
    await Promise.resolve(); // let the caller attach listeners first
    this.#emit({ type: 'flow_start', flowId: this.flowId, resumed: this.#resumed });
    const active = new Map<string, Promise<void>>();
    let outcome: ReturnType<typeof nextActions>['outcome'] = 'busy';
    for (;;) {
      if (this.#stopping) break;
      const next = nextActions(this.#index, this.#leaves);
      outcome = next.outcome;
      if (outcome !== 'busy') break;
      for (const action of next.actions) {
        if (active.has(action.path)) continue;
        const task = this.#step(action.path, action.kind).finally(() => active.delete(action.path));
        active.set(action.path, task);
      }
      if (active.size === 0) break; // nothing can move (cannot happen with a valid tree)
      await Promise.race(active.values());
    }
    if (outcome === 'failed' && !this.#stopping) {
      // A failed step fails the flow: stop its other running branches too.
      this.#stopping = 'fail';
      this.#abort.abort(new DOMException('Another step failed.', 'AbortError'));
      await this.#cancelRunning();
    }
    await Promise.allSettled(active.values());
    this.#started();
    const status: FlowStatus =
      this.#stopping === 'detach'
        ? 'detached'
        : this.#stopping === 'cancel'
          ? 'cancelled'
          : outcome === 'completed'
            ? 'completed'
            : outcome === 'cancelled'
              ? 'cancelled'
              : 'failed';
    const result = await this.#result(status);
    this.#status = status;
    this.#emit({ type: 'flow_finish', flowId: this.flowId, status, usage: result.usage });
    return result;
  }

  async #cancelRunning(): Promise<void> {
    await Promise.all(
      [...this.#leaves.values()]
        .filter((leaf) => leaf.status === 'running' || leaf.status === 'pending')
        .map(async (leaf) => {
          if (leaf.status === 'running' && leaf.interactionId) {
            // Best effort: a finished or foreground interaction cannot be cancelled (the server says so).
            await this.#client.cancel(leaf.interactionId).catch(() => {});
          }
          if (leaf.status === 'running') leaf.status = 'cancelled';
        }),
    );
  }

  // ---- one step -----------------------------------------------------------------------------------

  async #step(path: string, kind: 'start' | 'follow'): Promise<void> {
    const leaf = this.#leaves.get(path)!;
    const node = this.#index.nodes.get(path)!;
    const step = node.step as LeafStep;
    const signal = this.#abort.signal;
    try {
      if (step.kind === 'model' && usesRunner(step)) {
        await this.#runner(node, step, leaf, kind === 'follow');
        return;
      }
      if (kind === 'follow' && !leaf.interactionId) kind = 'start'; // saved before the server gave an id
      const mapper = () =>
        new ProgressMapper(this.flowId, step.name, leaf.interactionId, (e) => this.#emit(e));
      if (kind === 'start') {
        const request = await this.#request(node, step, leaf);
        if (!step.background && step.kind === 'model' && !step.stream) {
          const interaction = await this.#client.create(request, signal);
          this.#begin(leaf, step, interaction.id, false);
          this.#complete(leaf, interaction);
          return;
        }
        if (!step.background && step.kind === 'model') {
          this.#begin(leaf, step, undefined, false);
          const progress = mapper();
          const stream = await this.#client.stream(request, signal);
          await this.#consume(stream, leaf, progress);
          this.#complete(leaf, await stream.finalInteraction());
          return;
        }
        const created = await this.#client.create(request, signal);
        this.#begin(leaf, step, created.id, false);
      } else {
        this.#emit({
          type: 'step_start',
          flowId: this.flowId,
          step: step.name,
          kind: step.kind,
          interactionId: leaf.interactionId,
          previousInteractionId: leaf.previousInteractionId,
          resumed: true,
        });
        this.#started();
      }
      const id = leaf.interactionId as string;
      const waited = step.webhook && (await waitByWebhook(this.#client, id, step.webhook, signal));
      this.#complete(leaf, waited || (await this.#follow(leaf, mapper())));
    } catch (error) {
      if (signal.aborted) return; // cancel / detach / another step failed: the loop decides
      this.#fail(leaf, error);
    }
  }

  /** The request of a step about to start (input, previous interaction, embedded branch outputs). */
  async #request(node: Node, step: LeafStep, leaf: LeafState): Promise<CanonicalRequest> {
    const source = sourceOf(this.#index, node);
    const previousId = source.leaf
      ? this.#leaves.get(source.leaf.path)!.interactionId
      : source.fresh
        ? undefined
        : this.#previous;
    let raw: RunInput;
    if (typeof step.input === 'function') {
      // Results of steps finished before a resume are read back from the server, only when asked for.
      const ctx: StepContext = {
        input: this.#input,
        step: step.name,
        previous: source.leaf ? await this.#resultOf(source.leaf.path) : undefined,
        results: await this.#completedResults(),
      };
      raw = await step.input(ctx);
    } else raw = step.input ?? this.#input;
    let input = toItems(structuredClone(raw));
    if (source.embeds.length > 0) {
      const parts = await Promise.all(source.embeds.map((n) => this.#resultOf(n.path)));
      input = embed(input, parts);
    }
    if (previousId !== undefined) leaf.previousInteractionId = previousId;
    const request: CanonicalRequest = { input };
    if (previousId !== undefined) request.previous_interaction_id = previousId;
    const built = step.kind === 'agent' ? agentRequest(step, request) : modelRequest(step, request);
    return step.webhook ? withWebhookConfig(built, step.webhook) : built;
  }

  #begin(leaf: LeafState, step: LeafStep, interactionId: string | undefined, resumed: boolean): void {
    leaf.status = 'running';
    if (interactionId) this.#noteInteraction(leaf, interactionId);
    this.#emit({
      type: 'step_start',
      flowId: this.flowId,
      step: step.name,
      kind: step.kind,
      interactionId,
      previousInteractionId: leaf.previousInteractionId,
      resumed,
    });
  }

  #noteInteraction(leaf: LeafState, id: string): void {
    if (leaf.interactionId === id) return;
    leaf.interactionId = id;
    if (!leaf.interactionIds.includes(id)) leaf.interactionIds.push(id);
    this.#started();
  }

  /** Reads a stream to its end: cursor first, then progress. Returns whether any event came. */
  async #consume(
    stream: AsyncIterable<{ raw: unknown; events: Parameters<ProgressMapper['push']>[0][] }>,
    leaf: LeafState,
    progress: ProgressMapper,
  ): Promise<boolean> {
    let any = false;
    for await (const { raw, events } of stream) {
      any = true;
      const eventId = (raw as { event_id?: unknown }).event_id;
      const id = typeof eventId === 'string' && eventId ? eventId : undefined;
      if (id) leaf.cursor = id;
      for (const event of events) {
        progress.push(event, id);
        if (!leaf.interactionId && progress.interactionId)
          this.#noteInteraction(leaf, progress.interactionId);
      }
    }
    return any;
  }

  /** Follows a running interaction to a settled status, resuming the stream from the leaf's cursor. */
  async #follow(leaf: LeafState, progress: ProgressMapper): Promise<CanonicalInteraction> {
    const id = leaf.interactionId!;
    const signal = this.#abort.signal;
    let quiet = 0;
    for (;;) {
      signal.throwIfAborted();
      let progressed = false;
      try {
        const stream = await this.#client.getStream(id, leaf.cursor, signal);
        progressed = await this.#consume(stream, leaf, progress);
      } catch (error) {
        if (signal.aborted) throw error;
        if (streamingUnsupported(error)) return this.#client.poll(id, signal);
        // Anything else (a dropped stream that could not resume, an error event): ask for the status.
      }
      const current = await this.#client.get(id, signal);
      if (isSettled(current.status)) return current;
      quiet = progressed ? 0 : quiet + 1;
      if (quiet >= MAX_QUIET_ROUNDS) return this.#client.poll(id, signal);
      if (!progressed) await sleep(QUIET_PAUSE_MS, signal);
    }
  }

  /** A model step with function tools: a core Runner run, resumable from its last finished model call. */
  async #runner(node: Node, step: ModelStep, leaf: LeafState, resuming: boolean): Promise<void> {
    const signal = this.#abort.signal;
    let state: RunState;
    if (resuming && leaf.runState) {
      state = RunState.fromJSON(leaf.runState);
    } else {
      const request = await this.#request(node, step, leaf);
      state = new RunState({ input: request.input });
      state.lastInteractionId = request.previous_interaction_id;
    }
    leaf.runState = state.toJSON();
    if (resuming) {
      leaf.status = 'running';
      this.#emit({
        type: 'step_start',
        flowId: this.flowId,
        step: step.name,
        kind: 'model',
        interactionId: leaf.interactionId,
        previousInteractionId: leaf.previousInteractionId,
        resumed: true,
      });
    } else this.#begin(leaf, step, undefined, false);
    const runner = new Runner({
      client: this.#client.client,
      model: step.model,
      tools: step.tools ?? [],
      stream: step.stream,
      ...(step.instructions === undefined ? {} : { instructions: step.instructions }),
      ...(step.generationConfig === undefined ? {} : { generationConfig: step.generationConfig }),
      ...(step.maxSteps === undefined ? {} : { maxSteps: step.maxSteps }),
    });
    const base = { flowId: this.flowId, step: step.name };
    runner.on('status_change', (e) => {
      this.#noteInteraction(leaf, e.interactionId);
      this.#emit({
        ...base,
        type: 'status',
        interactionId: e.interactionId,
        status: e.status,
        ...(e.cursor ? { cursor: e.cursor } : {}),
      });
    });
    runner.on('text_delta', (e) =>
      this.#emit({ ...base, type: 'text_delta', delta: e.delta, ...(e.cursor ? { cursor: e.cursor } : {}) }),
    );
    runner.on('thought_delta', (e) =>
      this.#emit({
        ...base,
        type: 'thought_summary',
        text: e.delta,
        ...(e.cursor ? { cursor: e.cursor } : {}),
      }),
    );
    runner.on('tool_call', (e) =>
      this.#emit({
        ...base,
        type: 'tool_call',
        callType: 'function_call',
        id: e.call.id,
        name: e.call.name,
        arguments: e.call.arguments,
        ...(e.cursor ? { cursor: e.cursor } : {}),
      }),
    );
    runner.on('tool_result', (e) =>
      this.#emit({
        ...base,
        type: 'tool_result',
        resultType: 'function_result',
        callId: e.result.callId,
        name: e.result.name,
        isError: e.result.isError,
        result: e.result.result,
      }),
    );
    runner.on('step_finish', (e) => {
      if (e.result.interactionId) this.#noteInteraction(leaf, e.result.interactionId);
      leaf.runState = state.toJSON(); // a consistent resume point: results queued, nothing in flight
    });
    const handle = runner.start(state, { signal }); // runs on `state` itself
    const result = await handle.result;
    leaf.runState = result.state.toJSON();
    if (result.lastInteractionId) this.#noteInteraction(leaf, result.lastInteractionId);
    const last = result.steps.at(-1);
    this.#complete(leaf, {
      id: leaf.interactionId ?? '',
      status: RUNNER_STATUS[result.finishReason],
      output: last?.output ?? [],
      usage: result.usage,
    });
  }

  // ---- endings --------------------------------------------------------------------------------------

  #complete(leaf: LeafState, interaction: CanonicalInteraction): void {
    if (interaction.id) this.#noteInteraction(leaf, interaction.id);
    leaf.interactionStatus = interaction.status;
    leaf.usage = interaction.usage ?? {};
    if (interaction.status === 'completed') leaf.status = 'completed';
    else if (interaction.status === 'cancelled') leaf.status = 'cancelled';
    else {
      leaf.status = 'failed';
      const reported = interaction.errors?.[0];
      leaf.error = {
        code:
          reported?.code ??
          (interaction.status === 'failed' ? 'interaction_failed' : `interaction_${interaction.status}`),
        message: reported?.message ?? `The interaction ${interaction.id} ended ${interaction.status}.`,
      };
    }
    const result = this.#resultFrom(leaf, interaction.output);
    this.#results.set(leaf.path, result);
    this.#emit({ type: 'step_finish', flowId: this.flowId, step: leaf.name, result });
  }

  #fail(leaf: LeafState, error: unknown): void {
    leaf.status = 'failed';
    const code = (error as { code?: unknown } | null)?.code;
    leaf.error = {
      code: typeof code === 'string' && code ? code : 'flow_step_failed',
      message: error instanceof Error ? error.message : String(error),
    };
    const result = this.#resultFrom(leaf, []);
    this.#results.set(leaf.path, result);
    this.#emit({ type: 'step_finish', flowId: this.flowId, step: leaf.name, result });
  }

  #resultFrom(leaf: LeafState, output: Item[]): FlowStepResult {
    return {
      name: leaf.name,
      kind: leaf.kind,
      status:
        leaf.interactionStatus ??
        (leaf.status === 'pending'
          ? 'pending'
          : leaf.status === 'running'
            ? 'in_progress'
            : leaf.status === 'completed'
              ? 'completed'
              : leaf.status === 'cancelled'
                ? 'cancelled'
                : 'failed'),
      interactionId: leaf.interactionId,
      interactionIds: [...leaf.interactionIds],
      previousInteractionId: leaf.previousInteractionId,
      text: finalText(output),
      output,
      usage: leaf.usage ?? {},
      ...(leaf.error ? { error: leaf.error } : {}),
    };
  }

  /** A step's result; for a step finished before a resume, read back from the server. */
  async #resultOf(path: string): Promise<FlowStepResult> {
    const cached = this.#results.get(path);
    if (cached) return cached;
    const leaf = this.#leaves.get(path)!;
    let output: Item[] = [];
    if (leaf.interactionId && leaf.status !== 'pending') {
      try {
        output = (await this.#client.get(leaf.interactionId)).output;
      } catch {
        // the text stays empty; the ids and status are still right
      }
    }
    const result = this.#resultFrom(leaf, output);
    if (leaf.status === 'completed' || leaf.status === 'failed' || leaf.status === 'cancelled')
      this.#results.set(path, result);
    return result;
  }

  async #completedResults(): Promise<Record<string, FlowStepResult>> {
    const out: Record<string, FlowStepResult> = {};
    for (const leaf of this.#leaves.values())
      if (leaf.status === 'completed') out[leaf.name] = await this.#resultOf(leaf.path);
    return out;
  }

  async #result(status: FlowStatus): Promise<FlowResult> {
    const steps: Record<string, FlowStepResult> = {};
    let usage: Usage = {};
    for (const leaf of this.#leaves.values()) {
      // A detached handle answers at once, from what it knows.
      const result =
        status === 'detached'
          ? this.#resultFrom(leaf, this.#results.get(leaf.path)?.output ?? [])
          : await this.#resultOf(leaf.path);
      steps[leaf.name] = result;
      usage = addUsage(usage, result.usage);
    }
    const exit = sourceExit(this.#index);
    const exitResult = exit ? steps[(exit.step as LeafStep).name] : undefined;
    const failed = [...this.#leaves.values()].find((l) => l.status === 'failed' && l.error);
    return {
      flowId: this.flowId,
      status,
      text: exitResult?.status === 'completed' ? exitResult.text : '',
      interactionId: exitResult?.interactionId,
      steps,
      usage,
      ...(status === 'failed' && failed?.error ? { error: { step: failed.name, ...failed.error } } : {}),
    };
  }
}

// ---- helpers ----------------------------------------------------------------------------------------

/** How a Runner step ended, as an interaction status: stops the flow asked for count as completed. */
const RUNNER_STATUS: Record<FinishReason, CanonicalInteraction['status']> = {
  completed: 'completed',
  stop_condition: 'completed',
  stop_tool: 'completed',
  max_steps: 'incomplete',
  incomplete: 'incomplete',
  interrupted: 'requires_action',
  cancelled: 'cancelled',
  budget_exceeded: 'budget_exceeded',
};

function sourceExit(index: FlowIndex): Node | undefined {
  let node: Node = index.root;
  for (;;) {
    const { step } = node;
    if (step.kind === 'agent' || step.kind === 'model') return node;
    node = step.kind === 'chain' ? node.children.at(-1)! : node.children[step.continueFrom]!;
  }
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

/** An error meaning "this server cannot stream a GET": follow by polling. */
function streamingUnsupported(error: unknown): boolean {
  if (!(error instanceof InteractionsError)) return false;
  if (error.code === 'api_error' && error.message.startsWith('Expected text/event-stream')) return true;
  return error.status === 405 || error.status === 406 || error.status === 501;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
