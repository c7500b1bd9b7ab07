/**
 * `Runner`: run policy (client, limits, concurrency, mode, streaming, error policy) — and, for runs without
 * an `Agent`, a model (or API agent), its tools and instructions. Each run drives the function_call /
 * function_result loop until the model answers, a limit or stop condition is hit, or a call needs approval.
 * `runner.run(agent, input)` runs an `Agent` (agent/agent.ts) under the runner's policy.
 * A run hands its events to a handle with the run's own emitter and event log as they happen (`start`), or
 * is read as an async generator of events at the reader's pace (`iterate`); `run` waits for the result.
 *
 * @example
 * const runner = new Runner({ client: new InteractionsClient(), model: 'gemini-3-flash-preview', tools: [getWeather] });
 * const run = runner.start('What is the weather in Paris?');
 * run.on('tool_call', (e) => console.log('calling', e.call.name));
 * const result = await run.result;
 * console.log(result.text, result.usage.total_tokens);
 */

import { Agent, type AnyAgent } from '../agent/agent.ts';
import { type AgentPolicy, type AgentRunResult, runAgent } from '../agent/agent-run.ts';
import { clientBackend } from '../backend/client-backend.ts';
import { clientFromEnv } from '../client-from-env.ts';
import { InterplayError } from '../errors.ts';
import { toGeminiSchema } from '../schema/to-gemini-schema.ts';
import { createValidator } from '../schema/validate.ts';
import { type DriveRun, pushEvents } from './emit.ts';
import type { RunEvent } from './events.ts';
import { type RunInput, toItems } from './input.ts';
import { driveLoop, type LoopConfig, runLoop } from './loop.ts';
import { DEFAULTS, type RunnerOptions, type RunOptions } from './options.ts';
import type { RunResult } from './result.ts';
import { RunHandle } from './run-handle.ts';
import { RunState } from './state.ts';
import { splitTools } from './tool-set.ts';

/** The runner's policy: how runs go, whatever answers (the loop's configuration without an agent's fields). */
function resolvePolicy<TOutput, TContext>(options: RunnerOptions<TOutput, TContext>): LoopConfig {
  return {
    backend: options.backend ?? clientBackend(options.client ?? clientFromEnv()),
    model: options.model,
    agent: undefined,
    instructions: undefined,
    tools: splitTools([]),
    generationConfig: undefined,
    toolChoice: undefined,
    outputFormat: undefined,
    validateOutput: undefined,
    stream: options.stream ?? false,
    maxSteps: options.maxSteps ?? DEFAULTS.maxSteps,
    throwOnMaxSteps: options.throwOnMaxSteps ?? false,
    stopWhen: options.stopWhen,
    stopAtTools: options.stopAtTools ?? [],
    prepareStep: options.prepareStep as LoopConfig['prepareStep'],
    toolConcurrency: options.toolConcurrency ?? DEFAULTS.toolConcurrency,
    toolTimeoutMs: options.toolTimeoutMs ?? DEFAULTS.toolTimeoutMs,
    onToolError: options.onToolError,
  };
}

/** Runs without an `Agent`: the policy and the runner's own model, instructions, tools and output format. */
function resolveConfig<TOutput, TContext>(
  options: RunnerOptions<TOutput, TContext>,
  policy: LoopConfig,
): LoopConfig {
  if (options.model === undefined && options.agent === undefined) {
    throw new InterplayError(
      'runner_misconfigured',
      'Runner needs a `model` or an `agent` to run input (or run an Agent: `runner.run(agent, input)`).',
    );
  }
  const format = options.responseFormat;
  const depth =
    options.maxRecursionDepth === undefined ? {} : { maxRecursionDepth: options.maxRecursionDepth };
  return {
    ...policy,
    agent: options.agent,
    instructions: options.instructions,
    tools: splitTools(options.tools ?? []),
    generationConfig: options.generationConfig,
    toolChoice: options.toolChoice,
    outputFormat: format
      ? { mime_type: 'application/json', schema: toGeminiSchema(format, depth) }
      : undefined,
    validateOutput: format ? createValidator(format) : undefined,
  };
}

/** Runner options that describe what answers: an `Agent` run takes them from the agent instead. */
const AGENT_FIELDS = [
  'agent',
  'instructions',
  'tools',
  'generationConfig',
  'toolChoice',
  'responseFormat',
] as const;

export class Runner<TOutput = undefined, TContext = unknown> {
  readonly options: Readonly<RunnerOptions<TOutput, TContext>>;
  readonly #policy: LoopConfig;
  /** For runs without an `Agent`; undefined when the runner has neither `model` nor `agent`. */
  readonly #config: LoopConfig | undefined;

  constructor(options: RunnerOptions<TOutput, TContext>) {
    this.options = options;
    this.#policy = resolvePolicy(options);
    const plain = options.model !== undefined || options.agent !== undefined;
    this.#config = plain ? resolveConfig(options, this.#policy) : undefined;
  }

  /**
   * A run as an async generator of its events, ending with the result as its return value — the form to
   * compose runs with (`const result = yield* runner.iterate(…)` inside another generator). Nothing runs
   * until it is read; stopping early (`break`, `return()`) aborts the run's tools. A resumed state is made
   * ready at once (its stop reason cleared, `options.input` queued). With an `Agent` first, the agent
   * answers under this runner's policy (see `run(agent, …)`).
   *
   * @example
   * const events = runner.iterate('Plan my trip');
   * for (let next = await events.next(); !next.done; next = await events.next()) console.log(next.value.type);
   */
  iterate<T, C extends TContext>(
    agent: Agent<T, C>,
    input: RunInput | RunState,
    options?: RunOptions<C>,
  ): AsyncGenerator<RunEvent, AgentRunResult<T>, undefined>;
  iterate(
    input: RunInput | RunState,
    options?: RunOptions<TContext>,
  ): AsyncGenerator<RunEvent, RunResult<TOutput>, undefined>;
  iterate(
    first: AnyAgent | RunInput | RunState,
    second?: RunInput | RunState | RunOptions<TContext>,
    third?: RunOptions<TContext>,
  ): AsyncGenerator<RunEvent, RunResult<unknown>, undefined> {
    const { agent, input, options } = this.#arguments(first, second, third);
    const { state, resumed } = this.#prepare(input, options);
    // `stop` aborts the run when the reader stops early, so no tool works for nobody.
    const stop = new AbortController();
    const signal = this.#signal(options, stop);
    const { context } = options;
    if (agent) {
      return runAgent(agent, this.#agentPolicy(state, options), { state, resumed, signal, stop, context });
    }
    const abandoned = () =>
      stop.abort(new InterplayError('run_abandoned', 'The run’s events were no longer read.'));
    return runLoop(this.#plainConfig(options), { state, signal, context, resumed, abandoned });
  }

  /**
   * Start a run (or resume one from a `RunState`) and return its handle at once: the run's own emitter
   * (`run.on`), its events from the start (`run.events()`), `run.result` and `run.abort()`.
   *
   * @example
   * const run = runner.start('Plan my trip', { signal: AbortSignal.timeout(60_000) });
   * run.on('tool_call', (e) => console.log(e.call.name));
   * for await (const e of run.events()) console.log(e.type);
   * const result = await run.result;
   */
  start<T, C extends TContext>(
    agent: Agent<T, C>,
    input: RunInput | RunState,
    options?: RunOptions<C>,
  ): RunHandle<T, AgentRunResult<T>>;
  start(input: RunInput | RunState, options?: RunOptions<TContext>): RunHandle<TOutput>;
  start(
    first: AnyAgent | RunInput | RunState,
    second?: RunInput | RunState | RunOptions<TContext>,
    third?: RunOptions<TContext>,
  ): RunHandle<unknown> {
    const { agent, input, options } = this.#arguments(first, second, third);
    const { state, resumed } = this.#prepare(input, options);
    return this.#handle(agent, state, resumed, options);
  }

  /**
   * Run to the end (or to a pause) and resolve with the result.
   *
   * @example
   * const result = await runner.run('What is the weather in Paris?');
   * const answered = await runner.run(triageAgent, 'Why was I charged twice?'); // answered.lastAgent.name
   */
  run<T, C extends TContext>(
    agent: Agent<T, C>,
    input: RunInput | RunState,
    options?: RunOptions<C>,
  ): Promise<AgentRunResult<T>>;
  run(input: RunInput | RunState, options?: RunOptions<TContext>): Promise<RunResult<TOutput>>;
  run(
    first: AnyAgent | RunInput | RunState,
    second?: RunInput | RunState | RunOptions<TContext>,
    third?: RunOptions<TContext>,
  ): Promise<RunResult<unknown>> {
    const { agent, input, options } = this.#arguments(first, second, third);
    const { state, resumed } = this.#prepare(input, options);
    return this.#handle(agent, state, resumed, options).result;
  }

  #arguments(
    first: AnyAgent | RunInput | RunState,
    second: RunInput | RunState | RunOptions<TContext> | undefined,
    third: RunOptions<TContext> | undefined,
  ): { agent: AnyAgent | undefined; input: RunInput | RunState; options: RunOptions<TContext> } {
    if (!(first instanceof Agent)) {
      return { agent: undefined, input: first, options: (second ?? {}) as RunOptions<TContext> };
    }
    const misplaced = AGENT_FIELDS.filter((field) => this.options[field] !== undefined);
    if (misplaced.length > 0) {
      throw new InterplayError(
        'runner_misconfigured',
        `Runner options ${misplaced.join(', ')} describe what answers: with an Agent they belong in the agent (new Agent({ … })).`,
      );
    }
    if (second === undefined) {
      throw new InterplayError('runner_misconfigured', `No input to run agent ${first.name} on.`);
    }
    return { agent: first, input: second as RunInput | RunState, options: third ?? {} };
  }

  #prepare(input: RunInput | RunState, options: RunOptions<TContext>): { state: RunState; resumed: boolean } {
    if (!(input instanceof RunState)) {
      const state = new RunState({ mode: this.options.mode ?? 'stateful', input: toItems(input) });
      return { state, resumed: false };
    }
    input.stopReason = undefined;
    if (options.input !== undefined) input.pendingInput.push(...toItems(options.input));
    return { state: input, resumed: true };
  }

  /** A started run: the loop (or the agent's run) hands its events to the handle as they happen. */
  #handle(
    agent: AnyAgent | undefined,
    state: RunState,
    resumed: boolean,
    options: RunOptions<TContext>,
  ): RunHandle<unknown> {
    // `stop` is the handle's `abort()`; a listener that throws aborts the run with it too.
    const stop = new AbortController();
    const signal = this.#signal(options, stop);
    const { context } = options;
    let drive: DriveRun<RunResult<unknown>>;
    if (agent) {
      const run = { state, resumed, signal, stop, context };
      const events = runAgent(agent, this.#agentPolicy(state, options), run);
      drive = (emit) => pushEvents(events, emit);
    } else {
      drive = driveLoop(this.#plainConfig(options), { state, signal, context, resumed });
    }
    return new RunHandle<unknown>(state, drive, stop);
  }

  /** The run's signal: the caller's, and `stop` (aborted by the run's handle, or a reader that stopped early). */
  #signal(options: RunOptions<TContext>, stop: AbortController): AbortSignal {
    return options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  }

  #agentPolicy(state: RunState, options: RunOptions<TContext>): AgentPolicy {
    const base =
      options.maxSteps === undefined ? this.#policy : { ...this.#policy, maxSteps: options.maxSteps };
    return { base, mode: state.mode, maxRecursionDepth: this.options.maxRecursionDepth };
  }

  /** The configuration of a run without an `Agent`. */
  #plainConfig(options: RunOptions<TContext>): LoopConfig {
    const plain = this.#config;
    if (!plain) {
      throw new InterplayError(
        'runner_misconfigured',
        'Runner needs a `model` or an `agent` to run input (or run an Agent: `runner.run(agent, input)`).',
      );
    }
    return options.maxSteps === undefined ? plain : { ...plain, maxSteps: options.maxSteps };
  }
}
