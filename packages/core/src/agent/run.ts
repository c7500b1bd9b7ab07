/** `run(agent, input, options)`: one agent run under a policy given inline (a `Runner` made for it). */
import type { RunInput } from '../run/input.ts';
import type { RunnerOptions, RunOptions } from '../run/options.ts';
import { Runner } from '../run/runner.ts';
import type { RunState } from '../run/state.ts';
import type { Agent } from './agent.ts';
import type { AgentRunResult } from './agent-run.ts';

/**
 * Run policy for `run()`: the runner's options that are not the agent's (client, `model` as the default for
 * agents without one, limits, concurrency, mode, streaming, `onToolError`, …) and the run's own (`signal`,
 * `context`, `input` when resuming).
 */
export type AgentRunOptions<TContext = unknown> = Omit<
  RunnerOptions<undefined, TContext>,
  'agent' | 'instructions' | 'tools' | 'generationConfig' | 'toolChoice' | 'responseFormat'
> &
  RunOptions<TContext>;

/**
 * Run `agent` on `input` (or resume a `RunState`) to its end or a pause. A `Runner` does the same with its
 * policy kept for many runs: `runner.run(agent, input, { signal, context })`.
 *
 * @example
 * const result = await run(triage, 'My invoice is wrong', { client, maxSteps: 8, signal: AbortSignal.timeout(60_000) });
 * console.log(`${result.lastAgent.name}: ${result.text}`);
 */
export function run<TOutput, TContext>(
  agent: Agent<TOutput, TContext>,
  input: RunInput | RunState,
  options: AgentRunOptions<TContext> = {},
): Promise<AgentRunResult<TOutput>> {
  const { signal, context, input: more, maxSteps, ...policy } = options;
  const runner = new Runner<undefined, TContext>({
    ...policy,
    ...(maxSteps === undefined ? {} : { maxSteps }),
  });
  const runOptions: RunOptions<TContext> = {};
  if (signal) runOptions.signal = signal;
  if (context !== undefined) runOptions.context = context as TContext;
  if (more !== undefined) runOptions.input = more;
  return runner.run(agent, input, runOptions);
}
