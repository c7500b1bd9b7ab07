/**
 * An MCP `tools/call` result → the value sent to the model as `function_result.result` (client-side MCP) or
 * `mcp_server_tool_result.result` (hosted MCP on our server). One mapping for both, so they cannot drift.
 * - `isError` wins over everything: the error text (so a tool that also sent `structuredContent` cannot
 *   make a failure look like data).
 * - `structuredContent` is the result when present (it is the tool's typed output).
 * - Otherwise the content: only text → one string; text with images/audio → a list of content parts.
 */

/** The parts of a CallToolResult we read (the SDK's type is wider; extra fields are ignored). */
export interface McpCallResult {
  content?: readonly McpContent[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  /** Pre-2025 servers answer `{ toolResult }` instead of content. */
  toolResult?: unknown;
}

type McpContent = { type: string; [key: string]: unknown };

export interface MappedResult {
  value: unknown;
  isError: boolean;
  /** Plain text of the result, for error messages. */
  text: string;
}

type Part =
  | { type: 'text'; text: string }
  | { type: 'image' | 'audio' | 'document'; data: string; mime_type: string };

function toPart(block: McpContent): Part {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: String(block.text ?? '') };
    case 'image':
    case 'audio':
      return { type: block.type, data: String(block.data ?? ''), mime_type: String(block.mimeType ?? '') };
    case 'resource': {
      const r = (block.resource ?? {}) as { uri?: string; text?: string; blob?: string; mimeType?: string };
      if (typeof r.text === 'string') return { type: 'text', text: r.text };
      if (typeof r.blob === 'string' && r.mimeType === 'application/pdf')
        return { type: 'document', data: r.blob, mime_type: r.mimeType };
      return { type: 'text', text: `[resource ${r.uri ?? ''} (${r.mimeType ?? 'binary'})]` };
    }
    case 'resource_link':
      return { type: 'text', text: `[resource link ${String(block.uri ?? '')}]` };
    default:
      return { type: 'text', text: JSON.stringify(block) };
  }
}

export function mapCallResult(result: McpCallResult): MappedResult {
  if (!Array.isArray(result.content) && 'toolResult' in result) {
    const value = result.toolResult;
    return { value, isError: false, text: typeof value === 'string' ? value : JSON.stringify(value) };
  }
  const parts = (result.content ?? []).map(toPart);
  const text = parts
    .flatMap((p) => (p.type === 'text' ? [p.text] : []))
    .join('\n')
    .trim();
  if (result.isError === true) return { value: text || 'The tool reported an error.', isError: true, text };
  if (result.structuredContent !== undefined && result.structuredContent !== null) {
    return {
      value: result.structuredContent,
      isError: false,
      text: text || JSON.stringify(result.structuredContent),
    };
  }
  const onlyText = parts.every((p) => p.type === 'text');
  return { value: onlyText ? text : parts, isError: false, text };
}
