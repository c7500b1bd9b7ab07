/**
 * `Runner`: a model (or agent), its tools and its policies; each run drives the function_call /
 * function_result loop until the model answers, a limit or stop condition is hit, or a call needs approval.
 * A run is an async generator of events (`iterate`); `start` drains it into a handle with the run's own
 * emitter and event log; `run` waits for the result.
 *
 * @example
 * const runner = new Runner({ client: new InteractionsClient(), model: 'gemini-3-flash-preview', tools: [getWeather] });
 * const run = runner.start('What is the weather in Paris?');
 * run.on('tool_call', (e) => console.log('calling', e.call.name));
 * const result = await run.result;
 * console.log(result.text, result.usage.total_tokens);
 */
import { clientBackend } from '../backend/client-backend.ts';
import { clientFromEnv } from '../client-from-env.ts';
import { InterplayError } from '../errors.ts';
import { toGeminiSchema } from '../schema/to-gemini-schema.ts';
import { createValidator } from '../schema/validate.ts';
import type { RunEvent } from './events.ts';
import { type RunInput, toItems } from './input.ts';
import { type LoopConfig, runLoop } from './loop.ts';
import { DEFAULTS, type RunnerOptions, type RunOptions } from './options.ts';
import type { RunResult } from './result.ts';
import { RunHandle } from './run-handle.ts';
import { RunState } from './state.ts';
import { splitTools } from './tool-set.ts';

function resolveConfig<TOutput, TContext>(options: RunnerOptions<TOutput, TContext>): LoopConfig {
  const backend = options.backend ?? clientBackend(options.client ?? clientFromEnv());
  if (options.model === undefined && options.agent === undefined) {
    throw new InterplayError('runner_misconfigured', 'Runner needs a `model` or an `agent`.');
  }
  const format = options.responseFormat;
  const depth =
    options.maxRecursionDepth === undefined ? {} : { maxRecursionDepth: options.maxRecursionDepth };
  return {
    backend,
    model: options.model,
    agent: options.agent,
    instructions: options.instructions,
    tools: splitTools(options.tools ?? []),
    generationConfig: options.generationConfig,
    toolChoice: options.toolChoice,
    outputFormat: format
      ? { mime_type: 'application/json', schema: toGeminiSchema(format, depth) }
      : undefined,
    validateOutput: format ? createValidator(format) : undefined,
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

export class Runner<TOutput = undefined, TContext = unknown> {
  readonly options: Readonly<RunnerOptions<TOutput, TContext>>;
  readonly #config: LoopConfig;

  constructor(options: RunnerOptions<TOutput, TContext>) {
    this.options = options;
    this.#config = resolveConfig(options);
  }

  /**
   * A run as an async generator of its events, ending with the result as its return value — the form to
   * compose runs with (`const result = yield* runner.iterate(…)` inside another generator). Nothing runs
   * until it is read; stopping early (`break`, `return()`) aborts the run's tools. A resumed state is made
   * ready at once (its stop reason cleared, `options.input` queued).
   *
   * @example
   * const events = runner.iterate('Plan my trip');
   * for (let next = await events.next(); !next.done; next = await events.next()) console.log(next.value.type);
   */
  iterate(
    input: RunInput | RunState,
    options: RunOptions<TContext> = {},
  ): AsyncGenerator<RunEvent, RunResult<TOutput>, undefined> {
    const { state, resumed } = this.#prepare(input, options);
    return this.#events(state, resumed, options);
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
  start(input: RunInput | RunState, options: RunOptions<TContext> = {}): RunHandle<TOutput> {
    const { state, resumed } = this.#prepare(input, options);
    const abort = new AbortController();
    return new RunHandle<TOutput>(state, this.#events(state, resumed, options, abort), abort);
  }

  /**
   * Run to the end (or to a pause) and resolve with the result.
   *
   * @example
   * const result = await runner.run('What is the weather in Paris?');
   */
  run(input: RunInput | RunState, options: RunOptions<TContext> = {}): Promise<RunResult<TOutput>> {
    return this.start(input, options).result;
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

  /** `stop` aborts the run; it is also aborted when the reader stops early, so no tool works for nobody. */
  #events(
    state: RunState,
    resumed: boolean,
    options: RunOptions<TContext>,
    stop = new AbortController(),
  ): AsyncGenerator<RunEvent, RunResult<TOutput>, undefined> {
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const config =
      options.maxSteps === undefined ? this.#config : { ...this.#config, maxSteps: options.maxSteps };
    const abandoned = () =>
      stop.abort(new InterplayError('run_abandoned', 'The run’s events were no longer read.'));
    const run = { state, signal, context: options.context, resumed, abandoned };
    return runLoop(config, run) as AsyncGenerator<RunEvent, RunResult<TOutput>, undefined>;
  }
}
