/**
 * `chain`, `parallel` and `flow` build a {@link Flow}; `flow.start(client, input)` runs it and returns a
 * {@link FlowHandle}: progress events, `result()`, `cancel()`, `detach()`, and `toJSON()` — a small versioned
 * record (interaction ids, stream cursors, which step runs) from which `FlowHandle.fromJSON` goes on in
 * another process, by resuming each running step's stream after its cursor (or polling).
 *
 * @example
 * const research = agentStep({ agent: 'deep-research-pro-preview-12-2025', input: (ctx) => ctx.input });
 * const summarize = modelStep({ model: 'gemini-3-flash-preview', input: 'Summarize the report in 5 bullets.' });
 * const handle = await chain(research, summarize).start(client, 'Research TPU history', { onProgress: console.log });
 * await db.save(handle.flowId, JSON.stringify(handle));                   // any time; e.g. right after start
 * // … a new process:
 * const resumed = FlowHandle.fromJSON(await db.load(flowId), new InteractionsClient());
 * const { text } = await resumed.result();
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'eventemitter3';
import type { InteractionsBackend } from '../backend/backend.ts';
import { type AnyInteractionsClient, backendOf } from '../backend/client-backend.ts';
import { EventLog } from '../run/event-log.ts';
import type { RunInput } from '../run/input.ts';
import { FlowResumeError } from './errors.ts';
import type { FlowEvent, FlowEventMap, FlowStatus } from './events.ts';
import { FlowRun } from './flow-run.ts';
import {
  FLOW_HANDLE_VERSION,
  type FlowIndex,
  indexFlow,
  type LeafState,
  loadStep,
  needsFlow,
  type SavedFlow,
  saveStep,
  shapeOf,
} from './state.ts';
import type { FlowResult } from './step-results.ts';
import { type LeafStep, type ParallelStep, type Step, type StepLike, toStep } from './steps.ts';

export interface FlowStartOptions {
  /** Called for every progress event (also available as `handle.on(type, …)` and `handle.events()`). */
  onProgress?: (event: FlowEvent) => void;
  /** Continue this existing interaction: the flow's first step gets it as `previous_interaction_id`. */
  previousInteractionId?: string;
  /** Aborting cancels the flow (its running interactions are cancelled on the server). */
  signal?: AbortSignal;
}

export interface FlowResumeOptions {
  /**
   * The flow the handle was saved from. Needed when a step still to run computes its input with a function
   * or runs function tools (neither can be saved); otherwise the saved step tree is used.
   */
  flow?: StepLike;
  onProgress?: (event: FlowEvent) => void;
  signal?: AbortSignal;
}

/** A composition of steps, ready to start (any number of times). */
export class Flow {
  readonly root: Step;
  #index: FlowIndex | undefined;

  /** Throws `FlowDefinitionError` on a bad tree (`from` names are checked when the flow starts). */
  constructor(root: StepLike) {
    this.root = toStep(root);
    indexFlow(this.root, { sources: false });
  }

  /**
   * Start the flow against a client (or any `InteractionsBackend`); resolves once its first step has an
   * interaction id (so `toJSON()` can already resume it), or once the flow has ended. Rejects with
   * `FlowDefinitionError` when a `from` names no step of the flow.
   */
  async start(
    client: AnyInteractionsClient | InteractionsBackend,
    input: RunInput,
    options: FlowStartOptions = {},
  ): Promise<FlowHandle> {
    this.#index ??= indexFlow(this.root);
    const handle = new FlowHandle({
      flowId: `flow_${randomUUID()}`,
      index: this.#index,
      client,
      input,
      previousInteractionId: options.previousInteractionId,
      resumed: false,
      options,
    });
    await handle.started;
    return handle;
  }

  /** The step tree in its saved (JSON) form. */
  toJSON(): unknown {
    return saveStep(this.root);
  }
}

/** Steps one after another, each continuing the previous one's interaction (`previous_interaction_id`). */
export function chain(...steps: StepLike[]): Flow;
export function chain(steps: StepLike[], options: { name?: string }): Flow;
export function chain(...args: unknown[]): Flow {
  const [list, options] = Array.isArray(args[0])
    ? [args[0] as StepLike[], (args[1] ?? {}) as { name?: string }]
    : [args as StepLike[], {}];
  return new Flow({ kind: 'chain', name: options.name ?? 'chain', steps: list.map(toStep) });
}

export interface ParallelOptions {
  name?: string;
  /** The branch (index) a following step continues by `previous_interaction_id`. Default 0. */
  continueFrom?: number;
  /** `others` (default): a following step gets the other branches' outputs prepended to its input. */
  embed?: ParallelStep['embed'];
}

/** Branches at once (fan-out); the step after it joins them (fan-in). See {@link ParallelStep}. */
export function parallel(...branches: StepLike[]): Flow;
export function parallel(branches: StepLike[], options: ParallelOptions): Flow;
export function parallel(...args: unknown[]): Flow {
  const [list, options] = Array.isArray(args[0])
    ? [args[0] as StepLike[], (args[1] ?? {}) as ParallelOptions]
    : [args as StepLike[], {}];
  return new Flow({
    kind: 'parallel',
    name: options.name ?? 'parallel',
    branches: list.map(toStep),
    continueFrom: options.continueFrom ?? 0,
    embed: options.embed ?? 'others',
  });
}

/** A flow of a single step (or of any step tree). */
export function flow(step: StepLike): Flow {
  return new Flow(step);
}

interface HandleInit {
  flowId: string;
  index: FlowIndex;
  client: AnyInteractionsClient | InteractionsBackend;
  input: RunInput;
  previousInteractionId: string | undefined;
  leaves?: LeafState[];
  resumed: boolean;
  options: { onProgress?: (event: FlowEvent) => void; signal?: AbortSignal };
}

/** A running (or finished) flow. Emits {@link FlowEvent}s; see the module example. */
export class FlowHandle extends EventEmitter<FlowEventMap> {
  readonly flowId: string;
  readonly #run: FlowRun;
  readonly #log = new EventLog<FlowEvent>();
  /** @internal resolves once the first step has an interaction id or the flow ended. */
  readonly started: Promise<void>;

  /** @internal use `flow.start()` or `FlowHandle.fromJSON()`. */
  constructor(init: HandleInit) {
    super();
    this.flowId = init.flowId;
    const { onProgress, signal } = init.options;
    this.#run = new FlowRun({
      flowId: init.flowId,
      index: init.index,
      backend: backendOf(init.client),
      input: init.input,
      previousInteractionId: init.previousInteractionId,
      ...(init.leaves ? { leaves: init.leaves } : {}),
      resumed: init.resumed,
      emit: (event) => {
        this.#log.push(event);
        onProgress?.(event);
        (this.emit as (type: string, event: FlowEvent) => boolean)(event.type, event);
      },
    });
    this.started = this.#run.started;
    this.#run.done.then(
      () => this.#log.close(),
      (error: unknown) => this.#log.close({ error }),
    );
    if (signal) {
      const onAbort = () => void this.#run.cancel();
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      this.#run.done.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => {});
    }
  }

  /** `running` until the flow ends. */
  get status(): 'running' | FlowStatus {
    return this.#run.status;
  }

  /** Resolves when the flow ends — completed, failed, cancelled or detached (failures are data). */
  result(): Promise<FlowResult> {
    return this.#run.done;
  }

  /** Every progress event of this handle, from its start, as an async iterator ending with the flow. */
  events(): AsyncIterable<FlowEvent> {
    return { [Symbol.asyncIterator]: () => this.#log.read() };
  }

  /** Cancel: the running interactions are cancelled on the server; resolves with the `cancelled` result. */
  cancel(): Promise<FlowResult> {
    return this.#run.cancel();
  }

  /**
   * Stop following in this process without cancelling anything (e.g. before the process exits); the server
   * work goes on. Save `toJSON()` first, and resume with `FlowHandle.fromJSON`.
   */
  detach(): void {
    this.#run.detach();
  }

  /**
   * The saved form, versioned: interaction ids, each running step's stream cursor (the last `event_id`
   * delivered as progress), which steps run, and the step tree. JSON-safe; `JSON.stringify(handle)` works.
   */
  toJSON(): SavedFlow {
    return this.#run.snapshot();
  }

  /**
   * Go on with a saved flow, e.g. in a new process: finished steps are not run again, running ones are followed
   * from their cursor (no progress event is delivered twice), and the rest run as usual. Throws
   * `FlowResumeError` for another version, a malformed record, or a step that needs `options.flow`.
   */
  static fromJSON(
    saved: string | SavedFlow,
    client: AnyInteractionsClient | InteractionsBackend,
    options: FlowResumeOptions = {},
  ): FlowHandle {
    const data = parseSaved(saved);
    const root = options.flow ? toStep(options.flow) : loadStep(data.definition);
    if (options.flow && shapeOf(root) !== shapeOf(data.definition)) {
      throw new FlowResumeError(
        `The flow given does not match the saved one (saved ${shapeOf(data.definition)}, given ${shapeOf(root)}).`,
      );
    }
    const index = indexFlow(root);
    const byPath = new Map(data.steps.map((s) => [s.path, s]));
    if (!options.flow) {
      for (const node of index.leaves) {
        const why = needsFlow(node.step as LeafStep, byPath.get(node.path)?.status ?? 'pending');
        if (why)
          throw new FlowResumeError(`Cannot resume without the flow: ${why}. Pass it as \`options.flow\`.`);
      }
    }
    return new FlowHandle({
      flowId: data.flowId,
      index,
      client,
      input: data.input,
      previousInteractionId: data.previousInteractionId,
      leaves: data.steps,
      resumed: true,
      options,
    });
  }
}

function parseSaved(saved: string | SavedFlow): SavedFlow {
  let data: unknown = saved;
  if (typeof saved === 'string') {
    try {
      data = JSON.parse(saved);
    } catch (cause) {
      throw new FlowResumeError('The saved flow is not valid JSON.', { cause });
    }
  }
  const d = data as Partial<SavedFlow> | null;
  if (!d || typeof d !== 'object' || d.type !== 'interplay.flow')
    throw new FlowResumeError('Not a saved flow (expected `type: "interplay.flow"`).');
  if (d.version !== FLOW_HANDLE_VERSION)
    throw new FlowResumeError(
      `The saved flow has version ${JSON.stringify(d.version)}; this version of @interplay/core reads ${FLOW_HANDLE_VERSION}.`,
    );
  if (typeof d.flowId !== 'string' || !Array.isArray(d.steps) || !d.definition || d.input === undefined)
    throw new FlowResumeError(
      'The saved flow is malformed (flowId, steps, definition and input are required).',
    );
  for (const step of d.steps) {
    if (typeof step?.path !== 'string' || typeof step.name !== 'string' || typeof step.status !== 'string')
      throw new FlowResumeError('The saved flow is malformed: every step needs a path, a name and a status.');
  }
  return d as SavedFlow;
}
