/**
 * Deploying an `Agent` to an Interactions server's agents resource (`POST /{version}/agents`), so any client
 * — the official SDK, curl — runs it with `agent: <name>` (and `background: true`). A deployed agent runs
 * entirely on the server, so only what the server can run deploys: a model, a string instruction, and
 * server-side tools (built-in tools, `mcp_server` tools) or function declarations for the caller to answer.
 * What runs in your process — tool code, handoffs, agents as tools, guardrails, instructions computed from
 * a run's context — is refused with an `AgentDefinitionError` naming it, rather than silently left out.
 */
import type { Tool as WireTool } from '@interplay/protocol';
import { AgentDefinitionError, InterplayError } from '../errors.ts';
import { isToolDefinition } from '../tool/tool.ts';
import { type AnyAgent, isAgentAsTool } from './agent.ts';

/** The agents resource's body (the live API's `Agent`, `@google/genai` 3.6). */
export interface AgentResource {
  id: string;
  base_agent: string;
  description?: string;
  system_instruction?: string;
  tools?: WireTool[];
}

const DEPLOYABLE_TOOLS = new Set(['code_execution', 'google_search', 'mcp_server', 'url_context']);
const RESOURCE_ID = /^[a-z][a-z0-9._-]{0,62}$/;

/**
 * The agents-resource body for `agent`: what `deployAgent` sends, or what to pass to another client
 * (`ai.agents.create(agentResource(agent))` with the official SDK).
 *
 * @example
 * const body = agentResource(new Agent({ name: 'search-bot', model: 'gemini-3-flash-preview', tools: [googleSearch()] }));
 */
export function agentResource(agent: AnyAgent): AgentResource {
  const refuse = (what: string) => {
    throw new AgentDefinitionError(`Agent ${agent.name} cannot be deployed: ${what}.`, agent.name);
  };
  if (!RESOURCE_ID.test(agent.name)) {
    refuse('"name" must be lowercase letters, digits, "-", "_" or "." to be an agent id');
  }
  if (agent.model === undefined) refuse('it has no "model" (the deployed agent’s base)');
  if (typeof agent.instructions === 'function')
    refuse('its "instructions" are a function of the run context');
  if (agent.handoffs.length > 0) refuse('"handoffs" run in the client');
  const guarded =
    agent.inputGuardrails.length + agent.outputGuardrails.length > 0 ||
    (agent.toolGuardrails.before?.length ?? 0) + (agent.toolGuardrails.after?.length ?? 0) > 0;
  if (guarded) refuse('guardrails run in the client');
  if (agent.outputType) refuse('"outputType" is validated in the client');
  const tools: WireTool[] = [];
  for (const entry of [...agent.tools, ...agent.mcpServers]) {
    if (isAgentAsTool(entry)) refuse(`the agent tool "${entry.name}" runs in the client`);
    else if (isToolDefinition(entry)) refuse(`the function tool "${entry.name}" runs in the client`);
    else if (typeof entry === 'function') refuse('an MCP server given as a function runs in the client');
    else if (!DEPLOYABLE_TOOLS.has(entry.type)) refuse(`a "${entry.type}" tool is not available to agents`);
    else tools.push(entry);
  }
  return {
    id: agent.name,
    base_agent: agent.model as string,
    ...(agent.handoffDescription === undefined ? {} : { description: agent.handoffDescription }),
    ...(agent.instructions === undefined ? {} : { system_instruction: agent.instructions as string }),
    ...(tools.length > 0 ? { tools } : {}),
  };
}

export interface DeployOptions {
  /** The server's root, e.g. `http://127.0.0.1:8787` (the API version is added). */
  baseUrl: string;
  apiKey?: string;
  /** Default `v1beta`. */
  apiVersion?: string;
  /** Replace an agent already deployed under this name (default: a taken name is an error). */
  replace?: boolean;
  signal?: AbortSignal;
}

/** A deploy the server refused: its HTTP status and error body. */
export class AgentDeployError extends InterplayError {
  readonly status: number;
  readonly body: unknown;
  constructor(agent: string, status: number, body: unknown) {
    const detail = (body as { error?: { message?: string } } | undefined)?.error?.message ?? `HTTP ${status}`;
    super('agent_deploy_failed', `Deploying agent ${agent} failed: ${detail}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * Deploy `agent` to an Interactions server; resolves with the stored resource.
 *
 * @example
 * await deployAgent(searchBot, { baseUrl: 'http://127.0.0.1:8787', apiKey: process.env.INTERPLAY_API_KEY, replace: true });
 * // any client: POST /v1beta/interactions { "agent": "search-bot", "input": "…", "background": true }
 */
export async function deployAgent(agent: AnyAgent, options: DeployOptions): Promise<AgentResource> {
  const body = agentResource(agent);
  const root = `${options.baseUrl.replace(/\/+$/, '')}/${options.apiVersion ?? 'v1beta'}/agents`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers['x-goog-api-key'] = options.apiKey;
  const send = (method: string, url: string, payload?: unknown) =>
    fetch(url, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  let res = await send('POST', root, body);
  if (res.status === 409 && options.replace) {
    await send('DELETE', `${root}/${encodeURIComponent(body.id)}`);
    res = await send('POST', root, body);
  }
  const answer: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new AgentDeployError(agent.name, res.status, answer);
  return answer as AgentResource;
}
