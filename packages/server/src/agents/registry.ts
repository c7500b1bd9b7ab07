/**
 * Agent names (or name patterns) → agent implementations. The engine looks a request's `agent` up here; the
 * runtime validates agent requests with {@link validateAgentRequest} before creating the interaction.
 *
 * @example
 * const agents = createAgentRegistry();                       // deep-research-* built in
 * agents.register('echo-*', echoAgent);                        // `*` matches any run of characters
 * const engine = createEngine({ providers, tools, agents });
 */
import type { CanonicalRequest, InteractionsError } from '@interplay/protocol';
import type { Agent } from './agent.ts';
import { DEEP_RESEARCH_AGENTS, type DeepResearchOptions, deepResearchAgent } from './deep-research/agent.ts';

export interface AgentRegistry {
  /**
   * Serve `name` with `agent`. `name` is an exact id or a pattern with `*` wildcards (`deep-research-*`).
   * Exact ids win over patterns; patterns are tried in registration order. Throws on a duplicate name.
   */
  register(name: string, agent: Agent): void;
  /** The agent serving `id`, if any. */
  resolve(id: string): Agent | undefined;
  /** Registered names and patterns, exact ids first. */
  names(): string[];
}

export interface AgentRegistryOptions {
  /** Options of the built-in deep-research agent; `false` leaves it out. */
  deepResearch?: DeepResearchOptions | false;
}

/** A registry holding the built-in agents (deep research under its three ids and `deep-research-*`). */
export function createAgentRegistry(options: AgentRegistryOptions = {}): AgentRegistry {
  const exact = new Map<string, Agent>();
  const patterns: { name: string; regex: RegExp; agent: Agent }[] = [];
  const registry: AgentRegistry = {
    register(name, agent) {
      if (!name) throw new TypeError('an agent name must not be empty');
      if (exact.has(name) || patterns.some((p) => p.name === name))
        throw new Error(`agent '${name}' is already registered`);
      if (name.includes('*')) patterns.push({ name, regex: globToRegex(name), agent });
      else exact.set(name, agent);
    },
    resolve: (id) => exact.get(id) ?? patterns.find((p) => p.regex.test(id))?.agent,
    names: () => [...exact.keys(), ...patterns.map((p) => p.name)],
  };
  if (options.deepResearch !== false) {
    const agent = deepResearchAgent(options.deepResearch ?? {});
    for (const id of DEEP_RESEARCH_AGENTS) registry.register(id, agent);
    registry.register('deep-research-*', agent);
  }
  return registry;
}

/** The registry the engine uses when none is given (built-in agents, default options). */
export const DEFAULT_AGENTS: AgentRegistry = createAgentRegistry();

/**
 * Pure check of a create request that names an `agent`: the `InteractionsError` to answer with (400
 * `invalid_request`, the message naming the field, e.g. `background`), or undefined when the request is fine,
 * names a model, or names an agent this registry does not serve (the engine then reports it).
 *
 * The HTTP runtime must call it right after parsing the body, before storing anything:
 * ```ts
 * const problem = validateAgentRequest(request);
 * if (problem) throw problem;
 * ```
 */
export function validateAgentRequest(
  request: CanonicalRequest,
  registry: AgentRegistry = DEFAULT_AGENTS,
): InteractionsError | undefined {
  if (request.agent === undefined) return undefined;
  return registry.resolve(request.agent)?.validate?.(request);
}

function globToRegex(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}
