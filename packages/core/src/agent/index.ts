/** Agents: definitions (`Agent`), `run()`, handoffs, agents as tools and guardrails. */
export {
  Agent,
  type AgentAsTool,
  type AgentConfig,
  type AgentMcpServer,
  type AgentToolEntry,
  type AnyAgent,
  type AsToolOptions,
  type Instructions,
  type InstructionsInfo,
  isAgentAsTool,
  type ModelSettings,
} from './agent.ts';
export type { AgentRunResult } from './agent-run.ts';
export {
  AgentDeployError,
  type AgentResource,
  agentResource,
  type DeployOptions,
  deployAgent,
} from './deploy.ts';
export type {
  Guardrail,
  GuardrailCheck,
  GuardrailContext,
  GuardrailVerdict,
  ToolGuardrails,
} from './guardrails.ts';
export {
  type Handoff,
  type HandoffInputFilter,
  type HandoffOptions,
  handoff,
  isHandoff,
  keepConversation,
} from './handoff.ts';
export { type AgentRunOptions, run } from './run.ts';
