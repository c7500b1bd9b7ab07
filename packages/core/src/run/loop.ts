/**
 * One run of the loop: ask `nextAction` what to do, do it, emit what happened, ask again. It resolves with
 * the run's result and rejects with what ends the run early.
 *
 *   call_model → (function calls?) → execute_tools → step done → stop checks → call_model …
 *                                  ↘ await_approval (pause; resume from the state)
 *
 * Everything needed to resume lives in `RunState`. The loop itself keeps only the function tools each step
 * of this run offered, to run that step's calls; a resumed run asks `prepareStep` for them again (the state
 * keeps their names). `Runner` hands the events to a `RunHandle` as they happen (`driveLoop`), or to a
 * generator reader that paces the loop (`runLoop`, for `runner.iterate()`): see emit.ts.
 *
 * The events are emitted here, by `run()` itself; the methods it calls do the work and return data. An
 * emit site awaits only the promise a pacing reader returns (`if (paced) await paced`): a handle's reader
 * returns none, so its run pays no promise and no microtask hop per event.
 */
import {
  addUsage,
  answerText,
  type CanonicalInteraction,
  type CanonicalRequest,
  type GenerationConfig,
  type InteractionStatus,
  isTerminalStatus,
  type ToolChoice,
} from '@interplay/protocol';
import { type Context, context } from '@opentelemetry/api';
import type { InteractionsBackend } from '../backend/backend.ts';
import {
  InteractionFailedError,
  MaxStepsExceededError,
  RunAbortedError,
  ToolExecutionError,
} from '../errors.ts';
import type { Validator } from '../schema/validate.ts';
import { RunTrace } from '../telemetry/run-trace.ts';
import type { AnyTool } from '../tool/tool.ts';
import { needsApproval } from './approval.ts';
import { buildRequest } from './build-request.ts';
import { RunningCalls } from './call-abort.ts';
import { type DriveRun, type EmitEvent, ReaderGone } from './emit.ts';
import type { RunEvent } from './events.ts';
import { type Batch, executeBatch } from './execute-batch.ts';
import { ToolErrorThrow } from './execute-call.ts';
import { functionResultItem, toolCallsOf } from './input.ts';
import { nextAction } from './next-action.ts';
import type { PrepareStep, StepOverrides } from './options.ts';
import { pullEvents } from './pull-events.ts';
import type { RunResult } from './result.ts';
import type { CallRecord, RunState } from './state.ts';
import { type StopCondition, shouldStop } from './stop-conditions.ts';
import { StreamMapper } from './stream-mapper.ts';
import { parseStructuredOutput } from './structured-output.ts';
import type { ToolErrorPolicy } from './tool-errors.ts';
import { only, stepTools, type ToolSet } from './tool-set.ts';
import type { FinishReason, StepResult } from './types.ts';

/** A step's overrides when the runner has no `prepareStep`. */
const NO_OVERRIDES: StepOverrides = Object.freeze({});

/** Statuses after which the interaction waits for its caller: nothing more comes unless the caller acts. */
const SETTLED_FOR_CALLER: ReadonlySet<InteractionStatus> = new Set(['idle', 'requires_continuation']);

/** Whether a step's interaction status, with no tool call to run, ends the run. */
const endsRun = (status: InteractionStatus): boolean =>
  isTerminalStatus(status) || SETTLED_FOR_CALLER.has(status);

/** The runner's configuration, resolved for the loop. */
export interface LoopConfig {
  backend: InteractionsBackend;
  model: string | undefined;
  agent: string | undefined;
  instructions: string | undefined;
  tools: ToolSet;
  generationConfig: GenerationConfig | undefined;
  toolChoice: ToolChoice | undefined;
  outputFormat: CanonicalRequest['output_format'];
  validateOutput: Validator<unknown> | undefined;
  stream: boolean;
  maxSteps: number;
  throwOnMaxSteps: boolean;
  stopWhen: StopCondition | StopCondition[] | undefined;
  stopAtTools: readonly string[];
  prepareStep: PrepareStep<unknown> | undefined;
  toolConcurrency: number;
  toolTimeoutMs: number;
  onToolError: ToolErrorPolicy | undefined;
}

/** One run: the state it advances, its abort signal, the user's context, and whether it continues a state. */
export interface LoopRun {
  state: RunState;
  signal: AbortSignal;
  context: unknown;
  resumed: boolean;
  /** Called when the generator is closed before the run ended (its reader stopped): abort `signal` here. */
  abandoned?: () => void;
}

/**
 * The run as an async generator of its events, paced by its reader; returns the result.
 *
 * @example
 * const events = runLoop(config, { state, signal, context: undefined, resumed: false });
 * for (let next = await events.next(); !next.done; next = await events.next()) console.log(next.value.type);
 */
export function runLoop(cfg: LoopConfig, run: LoopRun): AsyncGenerator<RunEvent, RunResult<unknown>> {
  const loop = new RunLoop(cfg, run);
  return pullEvents((emit) => loop.run(emit), run.abandoned);
}

/**
 * The run as a function of where its events go (a handle's `emit`, which hears each at once); it resolves
 * with the result. Nothing runs until it is called.
 *
 * @example
 * const result = await driveLoop(config, run)((event) => void console.log(event.type));
 */
export function driveLoop(cfg: LoopConfig, run: LoopRun): DriveRun<RunResult<unknown>> {
  const loop = new RunLoop(cfg, run);
  return (emit) => loop.run(emit);
}

class RunLoop {
  readonly #cfg: LoopConfig;
  readonly #run: LoopRun;
  readonly #state: RunState;
  readonly #runId: string;
  /** The function tools each step of this run offered, to run its calls. */
  readonly #offered = new Map<number, ReadonlyMap<string, AnyTool>>();
  readonly #calls: RunningCalls;
  /** The context `runLoop` was called in: the run's span is its child. */
  readonly #parent: Context;
  #trace: RunTrace | undefined;

  constructor(cfg: LoopConfig, run: LoopRun) {
    this.#cfg = cfg;
    this.#run = run;
    this.#state = run.state;
    this.#runId = run.state.runId;
    this.#calls = new RunningCalls(run.signal);
    this.#parent = context.active();
  }

  async run(emit: EmitEvent): Promise<RunResult<unknown>> {
    const { signal } = this.#run;
    const state = this.#state;
    const runId = this.#runId;
    let paced: Promise<void> | undefined; // what a pacing reader hands back from `emit`, to wait for
    let finishReason: FinishReason | undefined;
    let failure: unknown;
    const { model, agent } = this.#cfg;
    // The span is named after the local agent running (`Agent`), else the remote one the model calls are for.
    const agentName = state.agent ?? agent;
    const trace = new RunTrace({
      parent: this.#parent,
      model,
      agent: agentName,
      runId,
      resumed: this.#run.resumed,
    });
    this.#trace = trace;
    try {
      paced = emit({ type: 'run_start', runId, resumed: this.#run.resumed });
      if (paced) await paced;
      for (;;) {
        signal.throwIfAborted();
        const next = nextAction(state, { maxSteps: this.#cfg.maxSteps });
        switch (next.kind) {
          case 'call_model': {
            const step = state.stepCount + 1;
            // Without prepareStep there is nothing to wait for: no await (two promises and a tick a step).
            const overrides = this.#cfg.prepareStep ? await this.#overrides(step, false) : NO_OVERRIDES;
            const tools = stepTools(this.#cfg.tools, overrides);
            this.#offered.set(step, tools.functionTools);
            const request = buildRequest(this.#cfg, state, overrides, tools);
            paced = emit({ type: 'step_start', runId, step });
            if (paced) await paced;
            let interaction: CanonicalInteraction;
            let mapper: StreamMapper | undefined; // a streamed call's events, and each function call's cursor
            const call = trace.modelCall(request);
            try {
              if (request.stream) {
                mapper = new StreamMapper(runId, step);
                const stream = await call.within(() => this.#cfg.backend.stream(request, { signal }));
                for await (const event of stream) {
                  for (const mapped of mapper.map(event)) {
                    paced = emit(mapped);
                    if (paced) await paced;
                  }
                }
                interaction = await call.within(() => stream.finalInteraction());
              } else {
                interaction = await call.within(() => this.#cfg.backend.create(request, { signal }));
              }
              call.end({ interaction });
            } catch (error) {
              // The reader left while the call's stream was read: the call itself did not fail.
              call.end(error instanceof ReaderGone ? undefined : { error });
              throw error;
            }
            if (!mapper) {
              const { id: interactionId, status } = interaction;
              paced = emit({ type: 'status_change', runId, step, interactionId, status });
              if (paced) await paced;
            }
            const result = this.#record(step, interaction, tools);
            const approval = { step, runId, context: this.#run.context };
            for (const call of result.toolCalls) {
              const tool = tools.functionTools.get(call.name);
              const waits = tool?.needsApproval ? await needsApproval(tool, call, approval) : false;
              state.calls.push({ call, step, status: waits ? 'awaiting_approval' : 'ready' });
              const cursor = mapper?.callCursors.get(call.id);
              paced = emit({ type: 'tool_call', runId, step, call, ...(cursor ? { cursor } : {}) });
              if (paced) await paced;
            }
            if (result.toolCalls.length === 0) {
              paced = emit({ type: 'step_finish', runId, step, result, usage: result.usage });
              if (paced) await paced;
            }
            break;
          }
          case 'execute_tools': {
            const step = next.calls[0]?.step ?? state.stepCount;
            const tools = this.#offered.get(step) ?? (await this.#resumedTools(step));
            const batch = this.#execute(next.calls, next.concurrency, tools);
            try {
              for (const completion of batch.completions) {
                const { record, result, paused } = await completion;
                if (paused) {
                  // The call's sub-agent waits for a human: so does this run (`state.interruptions`).
                  record.status = 'awaiting_approval';
                  record.nested = paused;
                  continue;
                }
                record.status = 'done';
                delete record.nested;
                record.result = result;
                paced = emit({ type: 'tool_result', runId, step: record.step, result });
                if (paced) await paced;
              }
            } catch (error) {
              throw toolError(error, state);
            } finally {
              batch.stop();
            }
            const done = this.#completeStep();
            if (done) {
              paced = emit({ type: 'step_finish', runId, step: done.step, result: done, usage: done.usage });
              if (paced) await paced;
              state.stopReason = this.#stopAtTool(done);
              const { stopWhen } = this.#cfg;
              const ctx = { steps: state.steps, stepCount: state.stepCount, lastStep: done };
              if (!state.stopReason && stopWhen && (await shouldStop(stopWhen, ctx))) {
                state.stopReason = 'stop_condition';
              }
            }
            break;
          }
          case 'await_approval':
            paced = emit({ type: 'approval_requested', runId, pending: state.interruptions });
            if (paced) await paced;
            finishReason = 'interrupted';
            return await this.#finish('interrupted', emit);
          case 'finish':
            finishReason = next.reason;
            return await this.#finish(next.reason, emit);
        }
      }
    } catch (caught) {
      if (caught instanceof ReaderGone) throw caught; // nobody is left to hear a run_error
      const error = signal.aborted ? new RunAbortedError(state, signal.reason) : caught;
      failure = error;
      paced = emit({ type: 'run_error', runId, error });
      if (paced) await paced;
      throw error;
    } finally {
      this.#calls.close();
      const lastInteractionId = state.lastInteractionId ?? state.steps.at(-1)?.interactionId;
      trace.end({ usage: state.usage, lastInteractionId, finishReason, error: failure });
    }
  }

  async #overrides(step: number, resumed: boolean): Promise<StepOverrides> {
    const { prepareStep } = this.#cfg;
    if (!prepareStep) return {};
    const state = this.#state;
    const info = { step, resumed, steps: state.steps, state, context: this.#run.context };
    return (await prepareStep(info)) ?? {};
  }

  /** A model call's answer into the state: the step and its usage; its calls are recorded by the caller. */
  #record(step: number, interaction: CanonicalInteraction, tools: ToolSet): StepResult {
    const state = this.#state;
    const sent = state.pendingInput;
    state.pendingInput = [];
    state.stepCount = step;
    if (state.mode === 'stateless') state.history.push(...sent, ...interaction.output);
    else state.lastInteractionId = interaction.id;
    const usage = { ...interaction.usage };
    state.usage = addUsage(state.usage, usage);
    if (interaction.status === 'failed') {
      throw new InteractionFailedError(interaction.id, interaction.errors ?? []);
    }
    const calls = toolCallsOf(interaction.output);
    const result: StepResult = {
      step,
      interactionId: interaction.id,
      status: interaction.status,
      output: interaction.output,
      text: answerText(interaction.output),
      toolCalls: calls,
      offeredTools: [...tools.functionTools.keys()],
      toolResults: [],
      usage,
    };
    state.steps.push(result);
    state.calls = [];
    // An interaction that ended otherwise than `completed`, or settled waiting for its caller, ends the run
    // with that status as its reason.
    if (calls.length === 0 && interaction.status !== 'completed' && endsRun(interaction.status)) {
      state.stopReason = interaction.status as FinishReason;
    }
    return result;
  }

  /**
   * The function tools of a step made by an earlier run (this one resumed it): asked of `prepareStep` again,
   * limited to the names the step offered then. (A step of this run keeps its tools since its model call.)
   */
  async #resumedTools(step: number): Promise<ReadonlyMap<string, AnyTool>> {
    const { functionTools } = stepTools(this.#cfg.tools, await this.#overrides(step, true));
    const names = this.#state.steps.find((s) => s.step === step)?.offeredTools;
    const tools = names ? only(functionTools, names) : functionTools;
    this.#offered.set(step, tools);
    return tools;
  }

  #execute(
    records: CallRecord[],
    concurrency: 'parallel' | 'sequential',
    tools: ReadonlyMap<string, AnyTool>,
  ): Batch {
    const env = {
      tools,
      calls: this.#calls,
      runId: this.#runId,
      context: this.#run.context,
      toolTimeoutMs: this.#cfg.toolTimeoutMs,
      onToolError: this.#cfg.onToolError,
    };
    const cap = concurrency === 'sequential' ? 1 : this.#cfg.toolConcurrency;
    return executeBatch(records, env, cap, this.#trace);
  }

  /** Once every call of the step has its result: queue the results for the model; the finished step. */
  #completeStep(): StepResult | undefined {
    const state = this.#state;
    const records = state.calls;
    if (!records.every((c) => c.status === 'done')) return undefined;
    const stepNumber = records[0]?.step ?? state.stepCount;
    const results = records.flatMap((record) => (record.result ? [record.result] : []));
    state.pendingInput.push(...results.map(functionResultItem));
    state.calls = [];
    const step = state.steps.find((s) => s.step === stepNumber);
    if (step) step.toolResults = results;
    return step;
  }

  /** `stop_tool` when the step called one of `stopAtTools`. */
  #stopAtTool(step: StepResult): FinishReason | undefined {
    const stopAt = this.#cfg.stopAtTools;
    return step.toolCalls.some((c) => stopAt.includes(c.name)) ? 'stop_tool' : undefined;
  }

  async #finish(reason: FinishReason, emit: EmitEvent): Promise<RunResult<unknown>> {
    const state = this.#state;
    if (reason === 'max_steps' && this.#cfg.throwOnMaxSteps)
      throw new MaxStepsExceededError(this.#cfg.maxSteps, state);
    const last = state.steps.at(-1);
    const text = last?.text ?? '';
    const output =
      reason === 'completed' && this.#cfg.validateOutput && last && !last.restored
        ? parseStructuredOutput(text, this.#cfg.validateOutput)
        : undefined;
    const paced = emit({ type: 'run_finish', runId: this.#runId, finishReason: reason, usage: state.usage });
    if (paced) await paced;
    return {
      runId: this.#runId,
      finishReason: reason,
      text,
      output,
      steps: state.steps,
      usage: state.usage,
      interruptions: state.interruptions,
      state,
      lastInteractionId: state.lastInteractionId ?? last?.interactionId,
    };
  }
}

/** `onToolError` said `'throw'`: the run fails with a `ToolExecutionError` carrying the state. */
function toolError(error: unknown, state: RunState): unknown {
  if (!(error instanceof ToolErrorThrow)) return error;
  const { message, toolName, callId, error: cause } = error.failure;
  return new ToolExecutionError(message, toolName, callId, state, cause);
}
