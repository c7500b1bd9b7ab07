/**
 * One agent run, as an async generator of its events: the run loop (run/loop.ts) under the agent answering
 * now, with what agents add around it —
 *
 * - each step asks the current agent for its instructions, model, settings and tools (`prepareStep`);
 * - a step that took a handoff switches the current agent (kept in the state, `state.agent`) when it ends;
 * - input guardrails run next to the first model call and must pass before any tool runs; output
 *   guardrails check the final answer before `run_finish`;
 * - a sub-agent's events (agent tools) are yielded between the loop's own, tagged with its name.
 */
import type { Item } from '@interplay/protocol';
import {
  AgentDefinitionError,
  InputGuardrailTripwireTriggered,
  InterplayError,
  OutputGuardrailTripwireTriggered,
  RunStateError,
} from '../errors.ts';
import type { RunEvent } from '../run/events.ts';
import { toItems } from '../run/input.ts';
import { type LoopConfig, runLoop } from '../run/loop.ts';
import type { StepOverrides } from '../run/options.ts';
import type { RunResult } from '../run/result.ts';
import { RunState } from '../run/state.ts';
import type { RunMode } from '../run/state-schema.ts';
import { ToolInterruption } from '../run/tool-interruption.ts';
import type { StepResult } from '../run/types.ts';
import { toGeminiSchema } from '../schema/to-gemini-schema.ts';
import { createValidator } from '../schema/validate.ts';
import type { AnyAgent } from './agent.ts';
import { type AgentTools, agentHandoffs, agentTools, type SubAgentRunner } from './agent-tools.ts';
import { EventChannel } from './event-channel.ts';
import { checkAll, type Tripped } from './guardrails.ts';
import { agentRegistry } from './registry.ts';

/** The runner's policy for agent runs: the loop's configuration without an agent's fields. */
export interface AgentPolicy {
  base: LoopConfig;
  mode: RunMode;
  maxRecursionDepth: number | undefined;
}

/** What an agent run resolves with: a run result, and the agent that answered last. */
export interface AgentRunResult<TOutput = undefined> extends RunResult<TOutput> {
  lastAgent: AnyAgent;
}

export interface AgentLoopRun {
  state: RunState;
  resumed: boolean;
  /** Aborts the run: the caller's signal together with `stop`'s. */
  signal: AbortSignal;
  /** Aborted by the run itself: a tripped input guardrail, or a reader that stopped reading. */
  stop: AbortController;
  context: unknown;
}

/**
 * Events after which the loop, when pulled, still runs no tool: they need no input guardrail verdict yet.
 * (The loop runs a step's tools only when pulled after that step's last `tool_call`.)
 */
const BEFORE_TOOLS = new Set<RunEvent['type']>([
  'run_start',
  'step_start',
  'text_delta',
  'thought_delta',
  'status_change',
]);

/**
 * The run of `root` (or of the agent a resumed state names) as an async generator of events.
 *
 * @example
 * const stop = new AbortController();
 * const events = runAgent(triage, policy, { state, resumed: false, signal: stop.signal, stop, context: undefined });
 * for (let next = await events.next(); !next.done; next = await events.next()) console.log(next.value.type);
 */
export async function* runAgent(
  root: AnyAgent,
  policy: AgentPolicy,
  run: AgentLoopRun,
): AsyncGenerator<RunEvent, AgentRunResult<unknown>> {
  const { state, stop } = run;
  const agents = agentRegistry(root);
  checkDefinitions(agents, policy);
  let current = currentAgent(root, agents, state);
  state.agent = current.name;

  const channel = new EventChannel<RunEvent>();
  const toolsByAgent = new Map<AnyAgent, AgentTools>();
  const runSubAgent: SubAgentRunner = (agent, start, env) =>
    subAgentRun(agent, policy, run.context, start, env);
  const toolsOf = async (agent: AnyAgent): Promise<AgentTools> => {
    let tools = toolsByAgent.get(agent);
    if (!tools) {
      const env = { state, context: run.context, runSubAgent, onEvent: (e: RunEvent) => channel.push(e) };
      tools = await agentTools(agent, agent.model ?? policy.base.model, env);
      toolsByAgent.set(agent, tools);
    }
    return tools;
  };
  const config: LoopConfig = { ...policy.base, ...outputOf(current, policy) };
  config.prepareStep = async (info) => {
    const agent = current;
    // A new step's final answer is checked against the schema of the agent answering it.
    if (!info.resumed) Object.assign(config, outputOf(agent, policy));
    const overrides: StepOverrides = {
      tools: (await toolsOf(agent)).tools,
      ...(agent.model === undefined ? {} : { model: agent.model }),
      ...agent.modelSettings,
    };
    const instructions = await instructionsOf(agent, run.context);
    if (instructions !== undefined) overrides.instructions = instructions;
    const own = await policy.base.prepareStep?.(info);
    return own ? { ...overrides, ...own } : overrides;
  };

  // Input guardrails start with the run and are awaited before anything after the first model call.
  let tripped: unknown;
  const inputText = userText(state.pendingInput);
  let inputVerdict: Promise<void> | undefined;
  if (current.inputGuardrails.length > 0 && inputText !== undefined) {
    const agent = current;
    const gctx = { agent: agent.name, context: run.context };
    inputVerdict = checkAll(agent.inputGuardrails, inputText, gctx).then(
      (found: Tripped | undefined) => {
        if (!found) return;
        tripped = new InputGuardrailTripwireTriggered(found.guardrail, agent.name, found.info);
        stop.abort(tripped);
      },
      (error: unknown) => {
        tripped = error;
        stop.abort(error);
      },
    );
  }

  const loop = runLoop(config, {
    state,
    signal: run.signal,
    context: run.context,
    resumed: run.resumed,
  });
  let held: RunEvent | undefined; // `run_finish`, until the output guardrails have passed
  let pending = loop.next();
  let ended = false;
  try {
    for (;;) {
      const next = await channel.race(pending);
      for (const event of channel.take()) yield event;
      if (next === undefined) continue;
      if (next.done) {
        const result = next.value;
        if (result.finishReason === 'completed') {
          const error = await checkOutput(current, result, run.context);
          if (error) {
            yield { type: 'run_error', runId: state.runId, error };
            throw error;
          }
        }
        if (held) yield held;
        ended = true;
        return { ...result, lastAgent: current };
      }
      const event = next.value;
      if (event.type === 'run_error' && tripped !== undefined) {
        yield { ...event, error: tripped };
        throw tripped;
      }
      if (event.type === 'run_finish') held = event;
      else yield event;
      if (event.type === 'step_finish') {
        const taken = handoffTaken(event.result, (await toolsOf(current)).handoffs);
        if (taken) {
          const from = current.name;
          if (state.mode === 'stateless' && taken.inputFilter)
            filterHistory(state, event.result, taken.inputFilter);
          current = taken.agent;
          state.agent = current.name;
          yield { type: 'handoff', runId: state.runId, step: event.step, from, to: current.name };
        }
      }
      if (inputVerdict && !BEFORE_TOOLS.has(event.type)) {
        await inputVerdict;
        inputVerdict = undefined;
        if (tripped !== undefined) {
          yield { type: 'run_error', runId: state.runId, error: tripped };
          throw tripped;
        }
      }
      pending = loop.next();
    }
  } finally {
    // Stopped early (a reader that left, a tripped guardrail): no tool works on for nobody.
    if (!ended) {
      stop.abort(new InterplayError('run_abandoned', 'The run’s events were no longer read.'));
      pending.catch(() => {});
      await loop.return(undefined as never).catch(() => {});
    }
  }
}

/** The agent a state names (a resumed run), else the root. */
function currentAgent(root: AnyAgent, agents: ReadonlyMap<string, AnyAgent>, state: RunState): AnyAgent {
  if (state.agent === undefined) return root;
  const agent = agents.get(state.agent);
  if (!agent) {
    const known = [...agents.keys()].join(', ');
    throw new RunStateError(
      `The run state names agent "${state.agent}", which is not among the agents reachable from ${root.name} (${known}).`,
    );
  }
  return agent;
}

/** Every agent can be run under this policy: it has a model, and its handoff filters have a history. */
function checkDefinitions(agents: ReadonlyMap<string, AnyAgent>, policy: AgentPolicy): void {
  for (const agent of agents.values()) {
    if (agent.model === undefined && policy.base.model === undefined) {
      throw new AgentDefinitionError(
        `Agent ${agent.name} has no "model", and the runner has no default model.`,
        agent.name,
      );
    }
    if (policy.mode === 'stateless') continue;
    for (const h of agentHandoffs(agent).values()) {
      if (h.inputFilter) {
        throw new AgentDefinitionError(
          `Agent ${agent.name}: the handoff "${h.toolName}" has an inputFilter, which needs mode: 'stateless' (in stateful mode the history is on the server).`,
          agent.name,
        );
      }
    }
  }
}

function outputOf(agent: AnyAgent, policy: AgentPolicy): Pick<LoopConfig, 'outputFormat' | 'validateOutput'> {
  const schema = agent.outputType;
  if (!schema) return { outputFormat: undefined, validateOutput: undefined };
  const depth = policy.maxRecursionDepth === undefined ? {} : { maxRecursionDepth: policy.maxRecursionDepth };
  return {
    outputFormat: { mime_type: 'application/json', schema: toGeminiSchema(schema, depth) },
    validateOutput: createValidator(schema),
  };
}

async function instructionsOf(agent: AnyAgent, context: unknown): Promise<string | undefined> {
  const { instructions } = agent;
  return typeof instructions === 'function' ? await instructions({ context, agent }) : instructions;
}

/** The text of the user's turns among `items` (what input guardrails check), if there is any. */
function userText(items: readonly Item[]): string | undefined {
  const texts: string[] = [];
  for (const item of items) {
    if (item.type !== 'user_input') continue;
    for (const part of item.content ?? []) if (part.type === 'text') texts.push(part.text);
  }
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/** The first handoff the step took (its tool ran without error). */
function handoffTaken(step: StepResult, handoffs: AgentTools['handoffs']) {
  for (const result of step.toolResults) {
    const h = handoffs.get(result.name);
    if (h && !result.isError) return h;
  }
  return undefined;
}

/** Stateless mode: the history before the handoff's step goes through the filter; that step's output stays. */
function filterHistory(state: RunState, step: StepResult, filter: (history: Item[]) => Item[]): void {
  const kept = step.output.length;
  const before = state.history.slice(0, state.history.length - kept);
  const own = state.history.slice(state.history.length - kept);
  state.history = [...filter(before), ...own];
}

async function checkOutput(agent: AnyAgent, result: RunResult<unknown>, context: unknown) {
  if (agent.outputGuardrails.length === 0) return undefined;
  const value = agent.outputType ? result.output : result.text;
  const found = await checkAll(agent.outputGuardrails, value, { agent: agent.name, context });
  return found ? new OutputGuardrailTripwireTriggered(found.guardrail, agent.name, found.info) : undefined;
}

/** A sub-agent's run for an agent tool: its answer, or `ToolInterruption` when it paused for approval. */
async function subAgentRun(
  agent: AnyAgent,
  policy: AgentPolicy,
  context: unknown,
  start: Parameters<SubAgentRunner>[1],
  env: Parameters<SubAgentRunner>[2],
): Promise<unknown> {
  const resumed = 'resume' in start;
  const state = resumed
    ? RunState.fromJSON(start.resume.state)
    : new RunState({ mode: policy.mode, input: toItems(start.input) });
  state.stopReason = undefined;
  const stop = new AbortController();
  const signal = AbortSignal.any([env.signal, stop.signal]);
  const events = runAgent(agent, policy, { state, resumed, signal, stop, context });
  let next = await events.next();
  while (!next.done) {
    env.onEvent(next.value);
    next = await events.next();
  }
  const result = next.value;
  if (result.finishReason === 'interrupted') {
    throw new ToolInterruption({ agent: agent.name, state: result.state.toJSON() });
  }
  return agent.outputType ? result.output : result.text;
}
