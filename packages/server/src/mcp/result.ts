/**
 * MCP `tools/call` results → `mcp_server_tool_result` fields. `isError` wins (its text is the result), then
 * `structuredContent`, then the content: text only → one string, with media → content parts.
 * (The client-side twin lives in @interplay/mcp; the server does not depend on it.)
 */
interface McpContent {
  type: string;
  [key: string]: unknown;
}

export interface McpCallResult {
  content?: readonly McpContent[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  toolResult?: unknown;
}

function part(block: McpContent): Record<string, unknown> {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: String(block.text ?? '') };
    case 'image':
    case 'audio':
      return { type: block.type, data: String(block.data ?? ''), mime_type: String(block.mimeType ?? '') };
    case 'resource': {
      const r = (block.resource ?? {}) as { uri?: string; text?: string; mimeType?: string };
      return { type: 'text', text: typeof r.text === 'string' ? r.text : `[resource ${r.uri ?? ''}]` };
    }
    case 'resource_link':
      return { type: 'text', text: `[resource link ${String(block.uri ?? '')}]` };
    default:
      return { type: 'text', text: JSON.stringify(block) };
  }
}

export function toResultFields(result: McpCallResult): { result: unknown; is_error?: true } {
  if (!Array.isArray(result.content) && 'toolResult' in result) return { result: result.toolResult ?? {} };
  const parts = (result.content ?? []).map(part);
  const text = parts
    .flatMap((p) => (p.type === 'text' ? [p.text as string] : []))
    .join('\n')
    .trim();
  if (result.isError === true) return { result: text || 'The tool reported an error.', is_error: true };
  if (result.structuredContent !== undefined && result.structuredContent !== null)
    return { result: result.structuredContent };
  return { result: parts.every((p) => p.type === 'text') ? text : parts };
}
