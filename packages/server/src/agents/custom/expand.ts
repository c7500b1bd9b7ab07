/**
 * A create request naming a custom agent (`agent: "support-bot"`) becomes a request on the agent's base
 * with its system instruction and tools, which the engine then runs like any other: tools the server runs
 * (MCP, code execution, search, URL context) run on the server, function calls go back to the caller.
 *
 * - base `base_agent` naming a built-in agent (deep research): `agent` becomes that agent;
 * - else the base is a model (`base_agent`, or `agent_config.model`): `model` is set and `agent` keeps the
 *   custom agent's name, so the interaction still says which agent served it;
 * - the agent's `system_instruction` comes first, then the request's own (both apply);
 * - the agent's tools come first, then the request's (a request may add function tools).
 */
import type { CanonicalRequest } from '@interplay/protocol';
import { DEFAULT_AGENTS } from '../registry.ts';
import type { CustomAgent } from './agent-resource.ts';
import type { AgentStore } from './agent-store.ts';

export async function withCustomAgent(
  request: CanonicalRequest,
  owner: string | null,
  agents: AgentStore,
): Promise<CanonicalRequest> {
  if (request.agent === undefined || request.model !== undefined) return request;
  if (DEFAULT_AGENTS.resolve(request.agent)) return request;
  const agent = await agents.getAgent(owner, request.agent);
  return agent ? expand(request, agent) : request;
}

export function expand(request: CanonicalRequest, agent: CustomAgent): CanonicalRequest {
  const out: CanonicalRequest = { ...request };
  const base = agent.base_agent ?? agent.agent_config?.model;
  if (base !== undefined && DEFAULT_AGENTS.resolve(base)) out.agent = base;
  else if (base !== undefined) out.model = base;
  const instructions = [agent.system_instruction, request.system_instruction].filter(
    (text): text is string => text !== undefined && text !== '',
  );
  if (instructions.length > 0) out.system_instruction = instructions.join('\n\n');
  const tools = [...(agent.tools ?? []), ...(request.tools ?? [])];
  if (tools.length > 0) out.tools = tools;
  return out;
}
