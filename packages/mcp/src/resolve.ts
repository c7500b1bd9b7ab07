/**
 * A runner's tool list with MCP servers in it → the tools to send: each server hosted (`mcp_server`) or
 * bridged as function tools, per `decideMcpModes`. Function names must be unique across servers and the
 * user's own tools; a clash is an error that says which `prefix` would fix it.
 */
import { isToolDefinition, type PrepareStep, type RunnerTool } from '@interplay/core';
import { McpDuplicateToolError } from './errors.ts';
import { decideMcpModes, type ModeDecision } from './mode.ts';
import { mayNeedApproval } from './policy.ts';
import { McpServerHandle } from './server.ts';

/** A runner tool, or an MCP server to resolve into tools. */
export type ToolEntry = RunnerTool | McpServerHandle;

export interface ResolveOptions {
  model?: string;
  agent?: string;
  /** Whether the target runs hosted MCP for a model (default: not for Gemini 3 models). */
  hostedMcp?: (model: string) => boolean;
}

export interface ResolvedTools {
  tools: RunnerTool[];
  /** Why each server went hosted or client-side. */
  decisions: ModeDecision[];
}

function countOthers(entries: readonly ToolEntry[]): { functionTools: number; builtInTools: number } {
  let functionTools = 0;
  let builtInTools = 0;
  for (const entry of entries) {
    if (entry instanceof McpServerHandle) continue;
    if (isToolDefinition(entry) || entry.type === 'function') functionTools += 1;
    else if (entry.type !== 'mcp_server') builtInTools += 1;
  }
  return { functionTools, builtInTools };
}

/**
 * Resolve MCP servers in a tool list.
 *
 * @example
 * const weather = mcpServer({ name: 'weather_service', transport: { type: 'http', url } });
 * const { tools, decisions } = await resolveMcpTools([weather, getTime], { model: 'gemini-2.5-flash' });
 * // getTime is a function tool, so weather is bridged client-side: decisions[0].mode === 'client'
 */
export async function resolveMcpTools(
  entries: readonly ToolEntry[],
  options: ResolveOptions = {},
): Promise<ResolvedTools> {
  const servers = entries.filter((e): e is McpServerHandle => e instanceof McpServerHandle);
  const decisions = decideMcpModes(
    servers.map((s) => ({
      name: s.name,
      mode: s.options.mode ?? 'auto',
      transport: s.transportType,
      mayNeedApproval: mayNeedApproval(s.options.needsApproval),
    })),
    { ...countOthers(entries), ...options },
  );
  const owners = new Map<string, string>();
  const claim = (name: string, owner: string) => {
    const previous = owners.get(name);
    if (previous !== undefined) throw new McpDuplicateToolError(name, [previous, owner]);
    owners.set(name, owner);
  };
  const tools: RunnerTool[] = [];
  for (const entry of entries) {
    if (!(entry instanceof McpServerHandle)) {
      if (isToolDefinition(entry)) claim(entry.name, 'your tools');
      tools.push(entry);
      continue;
    }
    const decision = decisions[servers.indexOf(entry)];
    if (decision?.mode === 'hosted') {
      tools.push(await entry.hostedTool());
      continue;
    }
    for (const bridged of await entry.tools()) {
      claim(bridged.name, entry.name);
      tools.push(bridged);
    }
  }
  return { tools, decisions };
}

/**
 * A `prepareStep` that re-resolves the tools before every model call, so a server's `tools/list_changed`
 * (or a reconnect to a redeployed server) reaches the model mid-run. Lists are cached, so this is cheap.
 *
 * @example
 * const runner = new Runner({ client, model, prepareStep: mcpPrepareStep([fsServer, getTime], { model }) });
 */
export function mcpPrepareStep(
  entries: readonly ToolEntry[],
  options: ResolveOptions = {},
): PrepareStep<unknown> {
  return async () => ({ tools: (await resolveMcpTools(entries, options)).tools });
}
