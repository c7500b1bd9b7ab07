/**
 * Where each built-in tool runs. The server executes its own tools and records call + result; client tools end
 * the turn with `requires_action` (a `function_call` — computer actions such as `click_at` are function calls
 * too) and the client sends the result back. See docs/server/builtin-tools.md.
 */
export const SERVER_EXECUTED_TOOLS = [
  'code_execution',
  'url_context',
  'google_search',
  'mcp_server',
] as const;
export const CLIENT_EXECUTED_TOOLS = ['function', 'computer_use'] as const;

/**
 * `server`: this server runs it; `client`: the caller runs it; `provider`: only a provider that has it natively
 * (live Gemini: `file_search`, `google_maps`, `retrieval`) can honour the declaration.
 */
export function toolPlacement(toolType: string): 'server' | 'client' | 'provider' {
  if ((SERVER_EXECUTED_TOOLS as readonly string[]).includes(toolType)) return 'server';
  if ((CLIENT_EXECUTED_TOOLS as readonly string[]).includes(toolType)) return 'client';
  return 'provider';
}
