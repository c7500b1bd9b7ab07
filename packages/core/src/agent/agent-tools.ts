/**
 * What an agent offers the model in one run, as the loop's tools: its function and built-in tools (function
 * tools wrapped in its tool guardrails), its MCP servers, one `transfer_to_<name>` tool per handoff, and its
 * agent tools (`other.asTool()`) bound to this run, so their sub-runs report here and pause this run.
 */
import { z } from 'zod/v4';
import { ToolGuardrailTripwireTriggered } from '../errors.ts';
import type { RunEvent } from '../run/events.ts';
import type { RunnerTool } from '../run/options.ts';
import type { RunState } from '../run/state.ts';
import type { NestedRun } from '../run/state-schema.ts';
import { type AnyTool, isToolDefinition, tool } from '../tool/tool.ts';
import { type AgentAsTool, type AnyAgent, isAgentAsTool } from './agent.ts';
import { checkAll } from './guardrails.ts';
import { type Handoff, handoff, isHandoff } from './handoff.ts';

/** A sub-agent's run, as the agent run starts it: its events go to `onEvent`; resolves with its answer. */
export type SubAgentRunner = (
  agent: AnyAgent,
  start: { input: string } | { resume: NestedRun },
  env: { signal: AbortSignal; onEvent: (event: RunEvent) => void },
) => Promise<unknown>;

export interface AgentToolsEnv {
  state: RunState;
  context: unknown;
  runSubAgent: SubAgentRunner;
  /** Where a sub-agent's events go (tagged with its name) to reach this run's stream. */
  onEvent: (event: RunEvent) => void;
}

export interface AgentTools {
  tools: RunnerTool[];
  /** The agent's handoffs by tool name. */
  handoffs: ReadonlyMap<string, Handoff>;
}

export function agentHandoffs(agent: AnyAgent): Map<string, Handoff> {
  const entries = agent.handoffs.map((h): [string, Handoff] => {
    const resolved = isHandoff(h) ? h : handoff(h);
    return [resolved.toolName, resolved];
  });
  return new Map(entries);
}

/** The tools `agent` offers in this run (MCP servers given as functions are asked here). */
export async function agentTools(
  agent: AnyAgent,
  model: string | undefined,
  env: AgentToolsEnv,
): Promise<AgentTools> {
  const tools: RunnerTool[] = [];
  for (const entry of agent.tools) {
    if (isAgentAsTool(entry)) tools.push(subAgentTool(entry, env));
    else tools.push(isToolDefinition(entry) ? guarded(agent, entry, env) : entry);
  }
  for (const server of agent.mcpServers) {
    if (typeof server !== 'function') tools.push(server);
    else
      for (const found of await server({ model }))
        tools.push(isToolDefinition(found) ? guarded(agent, found, env) : found);
  }
  const handoffs = agentHandoffs(agent);
  for (const h of handoffs.values()) tools.push(handoffTool(h));
  return { tools, handoffs };
}

/** The call's result tells the model who answers now; the run switches agents when the step ends. */
function handoffTool(h: Handoff): AnyTool {
  return tool({
    name: h.toolName,
    description: h.toolDescription,
    parameters: z.object({}),
    execute: () => ({ assistant: h.agent.name }),
  });
}

/** `t` with the agent's tool guardrails checked before and after it runs (as it is when there are none). */
function guarded(agent: AnyAgent, t: AnyTool, env: AgentToolsEnv): AnyTool {
  const before = agent.toolGuardrails.before ?? [];
  const after = agent.toolGuardrails.after ?? [];
  if (before.length === 0 && after.length === 0) return t;
  return {
    ...t,
    execute: async (args, ctx) => {
      const call = { toolName: ctx.toolName, callId: ctx.callId };
      const gctx = { agent: agent.name, context: env.context, ...call };
      const tripped = (stage: 'tool_input' | 'tool_output', by: { guardrail: string; info: unknown }) =>
        new ToolGuardrailTripwireTriggered(stage, by.guardrail, agent.name, by.info, call);
      const refused = await checkAll(before, args, gctx);
      if (refused) throw tripped('tool_input', refused);
      const value = await t.execute(args, ctx);
      const rejected = await checkAll(after, value, gctx);
      if (rejected) throw tripped('tool_output', rejected);
      return value;
    },
  };
}

/** A sub-agent as a function tool of this run; a call paused earlier resumes the sub-agent's saved run. */
function subAgentTool(entry: AgentAsTool, env: AgentToolsEnv): AnyTool {
  return tool({
    name: entry.name,
    description: entry.description,
    parameters: z.object({ input: z.string().describe(`What to ask the ${entry.agent.name} agent`) }),
    needsApproval: entry.needsApproval,
    execute: ({ input }, ctx) => {
      const paused = env.state.calls.find((c) => c.call.id === ctx.callId)?.nested;
      const tag = (event: RunEvent): RunEvent => ({
        ...event,
        agent: event.agent ? `${entry.agent.name}/${event.agent}` : entry.agent.name,
      });
      return env.runSubAgent(entry.agent, paused ? { resume: paused } : { input }, {
        signal: ctx.signal,
        onEvent: (event) => env.onEvent(tag(event)),
      });
    },
  });
}
