/**
 * Request-time checks of an `mcp_server` declaration, so a bad one is a 400 naming the field instead of a
 * failed tool call later. The HTTP layer calls this for each `tools[i]` of type `mcp_server`.
 */
import { InteractionsError, type Tool } from '@interplay/protocol';

/**
 * Throws `invalid_request` (400) naming `tools[i].…` when the declaration cannot be used: no name, a name with
 * `-` (the API requires snake_case server names), or a url that is not http(s).
 *
 * @example
 * request.tools?.forEach((tool, i) => { if (tool.type === 'mcp_server') validateMcpServerTool(tool, i); });
 */
export function validateMcpServerTool(declaration: Tool, index: number): void {
  const at = `tools[${index}]`;
  const { name, url } = declaration as { name?: unknown; url?: unknown };
  if (typeof name !== 'string' || name === '') {
    throw new InteractionsError('invalid_request', `'${at}.name' is required for an mcp_server tool.`, {
      field: `${at}.name`,
    });
  }
  if (name.includes('-')) {
    throw new InteractionsError(
      'invalid_request',
      `MCP server name '${name}' at '${at}.name' must not contain '-'; use snake_case (e.g. '${name.replaceAll('-', '_')}').`,
      { field: `${at}.name` },
    );
  }
  if (typeof url !== 'string' || url === '') {
    throw new InteractionsError('invalid_request', `'${at}.url' is required for an mcp_server tool.`, {
      field: `${at}.url`,
    });
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new InteractionsError(
      'invalid_request',
      `'${at}.url' must be an http(s) URL of a Streamable HTTP MCP server.`,
      {
        field: `${at}.url`,
      },
    );
  }
}

/** Checks every `mcp_server` entry of a request's tools. */
export function validateMcpServerTools(tools: readonly Tool[] | undefined): void {
  tools?.forEach((tool, index) => {
    if (tool.type === 'mcp_server') validateMcpServerTool(tool, index);
  });
}
