/**
 * Runs a flow: asks {@link nextActions} which steps to start or follow, runs those (several at once for
 * parallel branches), and asks again whenever one settles — until the flow completes, fails or is cancelled.
 *
 * The parts: step-request.ts builds a starting step's request; follow.ts follows an agent or model step's
 * interaction; runner-step.ts runs a model step with function tools through a core `Runner`;
 * step-results.ts records how each step ended and assembles the flow's result.
 */
import type { CanonicalInteraction } from '@interplay/protocol';
import type { InteractionsBackend } from '../backend/backend.ts';
import type { RunInput } from '../run/input.ts';
import type { FlowEvent, FlowStatus } from './events.ts';
import { followStep } from './follow.ts';
import { runRunnerStep } from './runner-step.ts';
import {
  FLOW_HANDLE_VERSION,
  type FlowIndex,
  type LeafState,
  nextActions,
  type Outcome,
  type SavedFlow,
  saveStep,
} from './state.ts';
import type { StepEnv } from './step-env.ts';
import { type RequestSources, stepRequest } from './step-request.ts';
import { type FlowResult, StepResults } from './step-results.ts';
import { type LeafStep, usesRunner } from './steps.ts';

export interface FlowRunInit {
  flowId: string;
  index: FlowIndex;
  backend: InteractionsBackend;
  input: RunInput;
  previousInteractionId: string | undefined;
  /** Restored leaf states (resume); fresh ones are created for the others. */
  leaves?: LeafState[];
  resumed: boolean;
  emit: (event: FlowEvent) => void;
}

export class FlowRun implements StepEnv {
  readonly flowId: string;
  readonly backend: InteractionsBackend;
  readonly #index: FlowIndex;
  readonly #input: RunInput;
  readonly #previous: string | undefined;
  readonly #resumed: boolean;
  readonly #emitOut: (event: FlowEvent) => void;
  readonly #leaves = new Map<string, LeafState>();
  readonly #results: StepResults;
  readonly #sources: RequestSources;
  readonly #abort = new AbortController();
  #stopping: 'cancel' | 'detach' | 'fail' | undefined;
  #status: 'running' | FlowStatus = 'running';
  #started!: () => void;
  /** Resolves once the first step has an interaction id (or the flow ended): `start()` waits for it. */
  readonly started: Promise<void>;
  readonly done: Promise<FlowResult>;

  constructor(init: FlowRunInit) {
    this.flowId = init.flowId;
    this.backend = init.backend;
    this.#index = init.index;
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
    this.#results = new StepResults(init.backend, this.#leaves);
    this.#sources = {
      index: init.index,
      input: init.input,
      previousInteractionId: init.previousInteractionId,
      leafAt: (path) => this.#leaves.get(path)!,
      resultOf: (path) => this.#results.of(path),
      completedResults: () => this.#results.completed(),
    };
    this.started = new Promise((resolve) => {
      this.#started = resolve;
    });
    this.done = this.#run();
  }

  get status(): 'running' | FlowStatus {
    return this.#status;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
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

  // ---- what steps share (StepEnv) -----------------------------------------------------------------

  emit(event: FlowEvent): void {
    if (this.#stopping === 'detach') return; // a detached handle says nothing more
    this.#emitOut(event);
  }

  begin(leaf: LeafState, step: LeafStep, interactionId: string | undefined, resumed: boolean): void {
    leaf.status = 'running';
    if (interactionId) this.noteInteraction(leaf, interactionId);
    if (resumed) this.#started();
    this.emit({
      type: 'step_start',
      flowId: this.flowId,
      step: step.name,
      kind: step.kind,
      interactionId,
      previousInteractionId: leaf.previousInteractionId,
      resumed,
    });
  }

  noteInteraction(leaf: LeafState, id: string): void {
    if (leaf.interactionId === id) return;
    leaf.interactionId = id;
    if (!leaf.interactionIds.includes(id)) leaf.interactionIds.push(id);
    this.#started();
  }

  // ---- the schedule ---------------------------------------------------------------------------------

  async #run(): Promise<FlowResult> {
    await Promise.resolve(); // let the caller attach listeners first
    this.emit({ type: 'flow_start', flowId: this.flowId, resumed: this.#resumed });
    const active = new Map<string, Promise<void>>();
    let outcome: Outcome = 'busy';
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
          : outcome === 'completed' || outcome === 'cancelled'
            ? outcome
            : 'failed';
    const result = await this.#results.flow(this.flowId, this.#index, status);
    this.#status = status;
    this.emit({ type: 'flow_finish', flowId: this.flowId, status, usage: result.usage });
    return result;
  }

  async #cancelRunning(): Promise<void> {
    await Promise.all(
      [...this.#leaves.values()]
        .filter((leaf) => leaf.status === 'running')
        .map(async (leaf) => {
          if (leaf.interactionId) {
            // Best effort: a finished or foreground interaction cannot be cancelled (the server says so).
            await this.backend.cancel(leaf.interactionId).catch(() => {});
          }
          leaf.status = 'cancelled';
        }),
    );
  }

  /** Start or follow one step until it settles or fails; failures are data, never thrown. */
  async #step(path: string, kind: 'start' | 'follow'): Promise<void> {
    const leaf = this.#leaves.get(path)!;
    const node = this.#index.nodes.get(path)!;
    const step = node.step as LeafStep;
    try {
      let interaction: CanonicalInteraction;
      if (step.kind === 'model' && usesRunner(step)) {
        const resume = kind === 'follow' && leaf.runState !== undefined;
        const request = resume ? undefined : await stepRequest(this.#sources, node, leaf);
        interaction = await runRunnerStep(this, leaf, step, request);
      } else {
        // A handle saved before the server gave the step an id starts it again.
        const resume = kind === 'follow' && leaf.interactionId !== undefined;
        const request = resume ? undefined : await stepRequest(this.#sources, node, leaf);
        interaction = await followStep(this, leaf, step, request);
      }
      if (interaction.id) this.noteInteraction(leaf, interaction.id);
      const result = this.#results.settle(leaf, interaction);
      this.emit({ type: 'step_finish', flowId: this.flowId, step: leaf.name, result });
    } catch (error) {
      if (this.signal.aborted) return; // cancel / detach / another step failed: the schedule decides
      const result = this.#results.fail(leaf, error);
      this.emit({ type: 'step_finish', flowId: this.flowId, step: leaf.name, result });
    }
  }
}
