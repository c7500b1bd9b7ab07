/** Server-side agents: the registry, the agent interface, and the built-in deep-research agent. */
export { type Agent, type AgentContext, providerFor } from './agent.ts';
export { type CorpusSite, startCorpusSite } from './corpus-site.ts';
export {
  DEEP_RESEARCH_AGENTS,
  type DeepResearchOptions,
  deepResearchAgent,
} from './deep-research/agent.ts';
export {
  type ResearchBudget,
  type ResearchConfig,
  researchBudget,
  researchConfig,
  validateResearchRequest,
} from './deep-research/config.ts';
export { parsePlan, type ResearchPlan, renderPlan } from './deep-research/plan.ts';
export { DEEP_RESEARCH_RULES } from './deep-research/script.ts';
export type { Phase, PhaseKind } from './deep-research/state.ts';
export {
  type AgentRegistry,
  type AgentRegistryOptions,
  createAgentRegistry,
  DEFAULT_AGENTS,
  validateAgentRequest,
} from './registry.ts';
