/**
 * `Runner`: a model (or agent), its tools and its policies; `run()` drives the function_call /
 * function_result loop until the model answers, a limit or stop condition is hit, or a call needs approval.
 * Events go to `runner.on(…)` listeners and to each run's `events()` iterator.
 *
 * @example
 * const runner = new Runner({ client: new InteractionsClient(), model: 'gemini-3-flash-preview', tools: [getWeather] });
 * runner.on('tool_call', (e) => console.log('calling', e.call.name));
 * const result = await runner.run('What is the weather in Paris?');
 * console.log(result.text, result.usage.total_tokens);
 */
import { EventEmitter } from 'eventemitter3';
import { clientFromEnv } from '../client-from-env.ts';
import { InterplayError } from '../errors.ts';
import { toGeminiSchema } from '../schema/to-gemini-schema.ts';
import { createValidator } from '../schema/validate.ts';
import { EventLog } from './event-log.ts';
import type { RunEvent, RunnerEventMap } from './events.ts';
import { type RunInput, toItems } from './input.ts';
import { type LoopConfig, RunLoop } from './loop.ts';
import { DEFAULTS, type RunnerOptions, type RunOptions } from './options.ts';
import type { RunResult } from './result.ts';
import { RunHandle } from './run-handle.ts';
import { RunState } from './state.ts';
import { splitTools } from './tool-set.ts';
import { clientTransport } from './transport.ts';

function resolveConfig<TOutput, TContext>(options: RunnerOptions<TOutput, TContext>): LoopConfig {
  const transport = options.transport ?? clientTransport(options.client ?? clientFromEnv());
  if (options.model === undefined && options.agent === undefined) {
    throw new InterplayError('runner_misconfigured', 'Runner needs a `model` or an `agent`.');
  }
  const { functionTools, hostedTools } = splitTools(options.tools ?? []);
  const format = options.responseFormat;
  const depth =
    options.maxRecursionDepth === undefined ? {} : { maxRecursionDepth: options.maxRecursionDepth };
  return {
    transport,
    model: options.model,
    agent: options.agent,
    instructions: options.instructions,
    functionTools,
    hostedTools,
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

export class Runner<TOutput = undefined, TContext = unknown> extends EventEmitter<RunnerEventMap> {
  readonly options: Readonly<RunnerOptions<TOutput, TContext>>;
  readonly #config: LoopConfig;

  constructor(options: RunnerOptions<TOutput, TContext>) {
    super();
    this.options = options;
    this.#config = resolveConfig(options);
  }

  /**
   * Start a run (or resume one from a `RunState`) and return its handle at once.
   *
   * @example
   * const run = runner.start('Plan my trip', { signal: AbortSignal.timeout(60_000) });
   * for await (const e of run.events()) console.log(e.type);
   * const result = await run.result;
   */
  start(input: RunInput | RunState, options: RunOptions<TContext> = {}): RunHandle<TOutput> {
    const resumed = input instanceof RunState;
    const state = resumed
      ? input
      : new RunState({ mode: this.options.mode ?? 'stateful', input: toItems(input) });
    if (resumed) {
      state.stopReason = undefined;
      if (options.input !== undefined) state.pendingInput.push(...toItems(options.input));
    }
    const abort = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
    const log = new EventLog<RunEvent>();
    const emit = (event: RunEvent) => {
      log.push(event);
      (this.emit as (type: string, event: RunEvent) => boolean)(event.type, event);
    };
    const config =
      options.maxSteps === undefined ? this.#config : { ...this.#config, maxSteps: options.maxSteps };
    const loop = new RunLoop(config, { state, signal, context: options.context, resumed, emit });
    const result = loop.run().then(
      (r) => {
        log.close();
        return r as RunResult<TOutput>;
      },
      (error: unknown) => {
        log.close({ error });
        throw error;
      },
    );
    return new RunHandle<TOutput>(state, log, abort, result);
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
}
