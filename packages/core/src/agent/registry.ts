/**
 * The agents a run can reach from its first agent, by name: through handoffs (a paused or serialized run
 * names the agent answering now, and is resumed from the first agent) and through agent tools. Two
 * different agents with one name would make that name ambiguous: refused.
 */
import { AgentDefinitionError } from '../errors.ts';
import { type AnyAgent, isAgentAsTool } from './agent.ts';
import { isHandoff } from './handoff.ts';

export function agentRegistry(root: AnyAgent): ReadonlyMap<string, AnyAgent> {
  const byName = new Map<string, AnyAgent>();
  const visit = (agent: AnyAgent): void => {
    const known = byName.get(agent.name);
    if (known === agent) return;
    if (known) {
      throw new AgentDefinitionError(
        `Two different agents are named "${agent.name}" in the agents reachable from ${root.name}.`,
        agent.name,
      );
    }
    byName.set(agent.name, agent);
    for (const target of agent.handoffs) visit(isHandoff(target) ? target.agent : target);
    for (const entry of agent.tools) if (isAgentAsTool(entry)) visit(entry.agent);
  };
  visit(root);
  return byName;
}
