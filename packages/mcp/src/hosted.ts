/**
 * The hosted form of a server: a `{ type: 'mcp_server', name, url, headers, allowed_tools }` tool the API
 * connects to itself. The policy's filter becomes `allowed_tools`; a predicate or deny list is resolved to
 * names by listing the server's tools first (we must be able to reach it too).
 */
import type { McpServerTool } from '@interplay/protocol';
import { McpConfigError } from './errors.ts';
import type { HttpTransportOptions, McpServerOptions, McpToolInfo } from './options.ts';
import { isToolAllowed, staticAllowList } from './policy.ts';

/** The API's rule for hosted server names (reference §9): no `-`. */
export function assertHostedName(name: string): void {
  if (name.includes('-')) {
    throw new McpConfigError(
      `MCP server name "${name}" contains "-", which the Interactions API rejects for hosted servers; use snake_case (e.g. "${name.replaceAll('-', '_')}").`,
    );
  }
}

export function hostedDeclaration(
  options: McpServerOptions & { transport: HttpTransportOptions },
  listed: readonly McpToolInfo[] | undefined,
): McpServerTool {
  assertHostedName(options.name);
  const { url, headers } = options.transport;
  const declaration: McpServerTool = { type: 'mcp_server', name: options.name, url: String(url) };
  if (headers && Object.keys(headers).length > 0) declaration.headers = { ...headers };
  const names =
    staticAllowList(options) ?? listed?.filter((t) => isToolAllowed(options, t)).map((t) => t.name);
  if (names === undefined && (options.allowTools !== undefined || options.denyTools !== undefined)) {
    throw new McpConfigError(`MCP server "${options.name}": this filter needs the server's tool list.`);
  }
  if (names !== undefined) declaration.allowed_tools = [{ tools: [...names] }];
  return declaration;
}
