/**
 * The agents resource as the live API has it (`@google/genai` 3.6, `Agents.Agent`): a custom agent is an
 * `id`, a base (`base_agent`: a built-in agent or a model id; or `agent_config.model`), a
 * `system_instruction`, `tools` and a `description`. Requests naming it with `agent: <id>` run on that base
 * with its instruction and tools. Bad bodies are 400s naming the field.
 */
import { InteractionsError, type Tool } from '@interplay/protocol';
import { z } from 'zod';
import { validateMcpServerTools } from '../../mcp/validate.ts';

/** What the live API lets an agent use (`AgentTool`): tools the server runs, and function declarations. */
const AGENT_TOOL_TYPES = [
  'code_execution',
  'function',
  'google_search',
  'mcp_server',
  'url_context',
] as const;

/** Ids like the built-in agents': lowercase letters, digits, `-`, `_`, `.` (at most 63). */
const AGENT_ID = /^[a-z][a-z0-9._-]{0,62}$/;

const AgentBody = z.looseObject({
  id: z
    .string()
    .regex(AGENT_ID, 'must be lowercase letters, digits, "-", "_" or "." and start with a letter'),
  base_agent: z.string().min(1).optional(),
  agent_config: z.looseObject({ type: z.string(), model: z.string().min(1).optional() }).optional(),
  base_environment: z.union([z.string(), z.looseObject({})]).optional(),
  description: z.string().optional(),
  system_instruction: z.string().optional(),
  tools: z.array(z.looseObject({ type: z.enum(AGENT_TOOL_TYPES) })).optional(),
});

/** A stored custom agent: the resource as created, plus when. */
export interface CustomAgent {
  id: string;
  base_agent?: string;
  agent_config?: { type: string; model?: string; [key: string]: unknown };
  base_environment?: string | Record<string, unknown>;
  description?: string;
  system_instruction?: string;
  tools?: Tool[];
  create_time: string;
}

/**
 * Check a create body: the agent to store, or a 400 naming the first bad field (`tools[1].type`, …).
 *
 * @example
 * const agent = parseAgentBody({ id: 'support-bot', base_agent: 'gemini-3-flash-preview', system_instruction: 'Be brief.' });
 */
export function parseAgentBody(body: unknown, now = new Date()): CustomAgent {
  const parsed = AgentBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.').replace(/\.(\d+)/g, '[$1]') || 'body';
    throw new InteractionsError('invalid_request', `'${field}': ${issue?.message ?? 'invalid'}`, { field });
  }
  const agent = parsed.data as Omit<CustomAgent, 'create_time'>;
  if (agent.base_agent === undefined && agent.agent_config?.model === undefined) {
    throw new InteractionsError(
      'invalid_request',
      "An agent needs a base: 'base_agent' (a built-in agent or a model id) or 'agent_config.model'.",
      { field: 'base_agent' },
    );
  }
  validateMcpServerTools(agent.tools);
  return { ...agent, create_time: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}
