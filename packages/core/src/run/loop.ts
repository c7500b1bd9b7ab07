/**
 * One run of the loop: ask `nextAction` what to do, do it, repeat.
 *
 *   call_model → (function calls?) → execute_tools → step done → stop checks → call_model …
 *                                  ↘ await_approval (pause; resume from the state)
 *
 * The loop owns no state of its own: everything that matters for resuming lives in `RunState`.
 */
import type { CanonicalRequest, GenerationConfig, ToolChoice, Tool as WireTool } from '@interplay/protocol';
import {
  InteractionFailedError,
  MaxStepsExceededError,
  RunAbortedError,
  ToolExecutionError,
} from '../errors.ts';
import type { Validator } from '../schema/validate.ts';
import type { AnyTool } from '../tool/tool.ts';
import { needsApproval } from './approval.ts';
import { buildRequest } from './build-request.ts';
import type { RunEvent } from './events.ts';
import { executeBatch } from './execute-batch.ts';
import { ToolErrorThrow } from './execute-call.ts';
import { functionResultItem, textOf, toolCallsOf } from './input.ts';
import { type NextAction, nextAction } from './next-action.ts';
import type { PrepareStep, StepOverrides } from './options.ts';
import type { RunResult } from './result.ts';
import type { CallRecord, RunState } from './state.ts';
import { type StopCondition, shouldStop } from './stop-conditions.ts';
import { StreamMapper } from './stream-mapper.ts';
import { parseStructuredOutput } from './structured-output.ts';
import type { ToolErrorPolicy } from './tool-errors.ts';
import { splitTools } from './tool-set.ts';
import type { ModelTransport } from './transport.ts';
import type { FinishReason, StepResult, ToolResult } from './types.ts';
import { addUsage, usageCounters } from './usage.ts';

/** The runner's configuration, resolved for the loop. */
export interface LoopConfig {
  transport: ModelTransport;
  model: string | undefined;
  agent: string | undefined;
  instructions: string | undefined;
  functionTools: ReadonlyMap<string, AnyTool>;
  hostedTools: readonly WireTool[];
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

export interface LoopRun {
  state: RunState;
  signal: AbortSignal;
  context: unknown;
  resumed: boolean;
  emit: (event: RunEvent) => void;
}

const ENDING_STATUSES = new Set<FinishReason>(['incomplete', 'cancelled', 'budget_exceeded']);

export class RunLoop {
  readonly #cfg: LoopConfig;
  readonly #run: LoopRun;
  /** Function tools offered at each step (prepareStep may change them); absent after a resume. */
  readonly #stepTools = new Map<number, ReadonlyMap<string, AnyTool>>();

  constructor(cfg: LoopConfig, run: LoopRun) {
    this.#cfg = cfg;
    this.#run = run;
  }

  get #state(): RunState {
    return this.#run.state;
  }

  #emit(event: RunEvent): void {
    this.#run.emit(event);
  }

  async run(): Promise<RunResult<unknown>> {
    const { state, signal } = this.#run;
    this.#emit({ type: 'run_start', runId: state.runId, resumed: this.#run.resumed });
    try {
      for (;;) {
        signal.throwIfAborted();
        const next: NextAction = nextAction(state, { maxSteps: this.#cfg.maxSteps });
        switch (next.kind) {
          case 'call_model':
            await this.#callModel();
            break;
          case 'execute_tools':
            await this.#executeTools(next.calls, next.concurrency);
            break;
          case 'await_approval':
            this.#emit({ type: 'approval_requested', runId: state.runId, pending: state.interruptions });
            return this.#finish('interrupted');
          case 'finish':
            return this.#finish(next.reason);
        }
      }
    } catch (caught) {
      const error = signal.aborted ? new RunAbortedError(state, signal.reason) : caught;
      this.#emit({ type: 'run_error', runId: state.runId, error });
      throw error;
    }
  }

  async #overrides(step: number): Promise<StepOverrides> {
    const { prepareStep } = this.#cfg;
    if (!prepareStep) return {};
    const info = { step, steps: this.#state.steps, state: this.#state, context: this.#run.context };
    return (await prepareStep(info)) ?? {};
  }

  async #callModel(): Promise<void> {
    const state = this.#state;
    const step = state.stepCount + 1;
    const overrides = await this.#overrides(step);
    const split = overrides.tools ? splitTools(overrides.tools) : undefined;
    let functionTools = split?.functionTools ?? this.#cfg.functionTools;
    const hosted = split?.hostedTools ?? this.#cfg.hostedTools;
    if (overrides.activeTools) {
      const active = new Set(overrides.activeTools);
      functionTools = new Map([...functionTools].filter(([name]) => active.has(name)));
    }
    this.#stepTools.set(step, functionTools);
    this.#emit({ type: 'step_start', runId: state.runId, step });

    const request = buildRequest(this.#cfg, state, overrides, functionTools, hosted);
    // Only stream events need a mapper; a unary call gets none.
    let mapper: StreamMapper | undefined;
    const interaction = await this.#cfg.transport.create(request, {
      signal: this.#run.signal,
      onEvent: (event) => {
        mapper ??= new StreamMapper((e) => this.#emit(e), state.runId, step);
        mapper.push(event);
      },
    });
    if (!this.#cfg.stream) {
      this.#emit({
        type: 'status_change',
        runId: state.runId,
        step,
        interactionId: interaction.id,
        status: interaction.status,
      });
    }

    const sent = state.pendingInput;
    state.pendingInput = [];
    state.stepCount = step;
    if (state.mode === 'stateless') state.history.push(...sent, ...interaction.output);
    else state.lastInteractionId = interaction.id;
    const usage = usageCounters(interaction.usage);
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
      text: textOf(interaction.output),
      toolCalls: calls,
      toolResults: [],
      usage,
    };
    state.steps.push(result);
    state.calls = [];
    for (const call of calls) {
      const tool = this.#toolsFor(step).get(call.name);
      const waits =
        tool !== undefined &&
        tool.needsApproval !== false &&
        (await needsApproval(tool, call, { step, runId: state.runId, context: this.#run.context }));
      state.calls.push({ call, step, status: waits ? 'awaiting_approval' : 'ready' });
      const cursor = mapper?.callCursors.get(call.id);
      this.#emit({ type: 'tool_call', runId: state.runId, step, call, ...(cursor ? { cursor } : {}) });
    }
    if (calls.length === 0) {
      if (ENDING_STATUSES.has(interaction.status as FinishReason))
        state.stopReason = interaction.status as FinishReason;
      this.#emit({ type: 'step_finish', runId: state.runId, step, result, usage });
    }
  }

  #toolsFor(step: number): ReadonlyMap<string, AnyTool> {
    return this.#stepTools.get(step) ?? this.#cfg.functionTools;
  }

  async #executeTools(records: CallRecord[], concurrency: 'parallel' | 'sequential'): Promise<void> {
    const state = this.#state;
    const step = records[0]?.step ?? state.stepCount;
    try {
      await executeBatch(records, {
        tools: this.#toolsFor(step),
        signal: this.#run.signal,
        runId: state.runId,
        context: this.#run.context,
        toolTimeoutMs: this.#cfg.toolTimeoutMs,
        ...(this.#cfg.onToolError ? { onToolError: this.#cfg.onToolError } : {}),
        concurrency: concurrency === 'sequential' ? 1 : this.#cfg.toolConcurrency,
        onResult: (record, result) => {
          record.status = 'done';
          record.result = result;
          this.#emit({ type: 'tool_result', runId: state.runId, step: record.step, result });
        },
      });
    } catch (error) {
      if (error instanceof ToolErrorThrow) {
        const f = error.failure;
        throw new ToolExecutionError(f.message, f.toolName, f.callId, state, f.error);
      }
      throw error;
    }
    if (state.calls.every((c) => c.status === 'done')) await this.#completeStep();
  }

  /** All calls of the step have results: queue them for the model, report the step, check stop conditions. */
  async #completeStep(): Promise<void> {
    const state = this.#state;
    const records = state.calls;
    const stepNumber = records[0]?.step ?? state.stepCount;
    const results: ToolResult[] = [];
    for (const record of records) {
      if (!record.result) continue;
      results.push(record.result);
      state.pendingInput.push(functionResultItem(record.result));
    }
    state.calls = [];
    const step = state.steps.find((s) => s.step === stepNumber);
    if (!step) return;
    step.toolResults = results;
    this.#emit({
      type: 'step_finish',
      runId: state.runId,
      step: stepNumber,
      result: step,
      usage: step.usage,
    });
    const stopAt = this.#cfg.stopAtTools;
    if (stopAt.length > 0 && step.toolCalls.some((c) => stopAt.includes(c.name))) {
      state.stopReason = 'stop_tool';
      return;
    }
    const { stopWhen } = this.#cfg;
    if (stopWhen === undefined) return;
    const ctx = { steps: state.steps, stepCount: state.stepCount, lastStep: step };
    if (await shouldStop(stopWhen, ctx)) state.stopReason = 'stop_condition';
  }

  #finish(reason: FinishReason): RunResult<unknown> {
    const state = this.#state;
    if (reason === 'max_steps' && this.#cfg.throwOnMaxSteps)
      throw new MaxStepsExceededError(this.#cfg.maxSteps, state);
    const last = state.steps.at(-1);
    const text = last?.text ?? '';
    const output =
      reason === 'completed' && this.#cfg.validateOutput && last && !last.restored
        ? parseStructuredOutput(text, this.#cfg.validateOutput)
        : undefined;
    this.#emit({ type: 'run_finish', runId: state.runId, finishReason: reason, usage: state.usage });
    return {
      runId: state.runId,
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
