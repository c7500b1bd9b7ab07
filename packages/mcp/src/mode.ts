/**
 * Hosted or client-side? A pure function of the request, so the rule is easy to read and test.
 *
 * In `auto` mode a server is bridged client-side (its tools become function tools run by us) when:
 * 1. it is a stdio server — the API can only reach Streamable HTTP URLs;
 * 2. its policy may ask for approval — hosted calls run inside the API and cannot pause;
 * 3. the model is a Gemini 3 model — "Remote MCP does not work with Gemini 3 models" (the seeds);
 * 4. the request also has function tools or built-in tools — "MCP, function calling and built-in tools cannot
 *    be combined yet" (the seeds). A server bridged by rules 1–3 adds function tools, so once one server is
 *    client-side every `auto` server is.
 * Otherwise it stays hosted. `hosted` forces hosted (an error for stdio or approval, which cannot work);
 * `client` forces client-side. `hostedMcp` overrides rule 3 (e.g. `() => true` against an Interplay server,
 * which runs hosted MCP for any model).
 */
import { McpConfigError } from './errors.ts';
import type { McpMode } from './options.ts';

export interface ModeServer {
  name: string;
  mode: McpMode;
  transport: 'stdio' | 'http';
  mayNeedApproval: boolean;
}

export interface ModeContext {
  model?: string;
  agent?: string;
  /** Function tools of the request besides MCP ones (user's `tool()`s). */
  functionTools: number;
  /** Built-in tools of the request (`google_search`, `code_execution`, …), hosted MCP excluded. */
  builtInTools: number;
  /** Whether the target supports hosted MCP for this model; default: not on Gemini 3 models. */
  hostedMcp?: (model: string) => boolean;
}

export interface ModeDecision {
  name: string;
  mode: 'hosted' | 'client';
  reason: string;
}

const GEMINI_3 = /^(?:models\/)?gemini-3(?:[.-]|$)/;

export const supportsHostedMcpByDefault = (model: string): boolean => !GEMINI_3.test(model);

function ownRule(server: ModeServer, ctx: ModeContext): string | undefined {
  if (server.transport === 'stdio') return 'stdio servers are local: the API can only reach HTTP URLs';
  if (server.mayNeedApproval) return 'its policy may ask for approval, which hosted calls cannot wait for';
  const hosted = ctx.hostedMcp ?? supportsHostedMcpByDefault;
  if (ctx.model !== undefined && ctx.agent === undefined && !hosted(ctx.model))
    return `model ${ctx.model} does not support remote MCP`;
  return undefined;
}

/**
 * Decide every server's mode for one request.
 *
 * @example
 * decideMcpModes([{ name: 'weather', mode: 'auto', transport: 'http', mayNeedApproval: false }],
 *   { model: 'gemini-2.5-flash', functionTools: 0, builtInTools: 0 }); // → [{ mode: 'hosted', … }]
 */
export function decideMcpModes(servers: readonly ModeServer[], ctx: ModeContext): ModeDecision[] {
  const decisions = servers.map((server): ModeDecision => {
    if (server.mode === 'client') return { name: server.name, mode: 'client', reason: 'mode is client' };
    if (server.mode === 'hosted') {
      if (server.transport === 'stdio')
        throw new McpConfigError(`MCP server "${server.name}" uses stdio and cannot be hosted.`);
      if (server.mayNeedApproval)
        throw new McpConfigError(
          `MCP server "${server.name}" needs approval, which hosted MCP cannot ask for; use mode "client" or "auto".`,
        );
      return { name: server.name, mode: 'hosted', reason: 'mode is hosted' };
    }
    const reason = ownRule(server, ctx);
    return reason
      ? { name: server.name, mode: 'client', reason }
      : { name: server.name, mode: 'hosted', reason: 'the API can run it' };
  });
  const bridged = decisions.find((d) => d.mode === 'client');
  const mixing =
    ctx.functionTools > 0
      ? 'the request has function tools, which hosted MCP cannot be combined with'
      : ctx.builtInTools > 0
        ? 'the request has built-in tools, which hosted MCP cannot be combined with'
        : bridged
          ? `server "${bridged.name}" is bridged as function tools, which hosted MCP cannot be combined with`
          : undefined;
  if (!mixing) return decisions;
  return decisions.map((d, i) =>
    d.mode === 'hosted' && servers[i]?.mode === 'auto' ? { ...d, mode: 'client', reason: mixing } : d,
  );
}
