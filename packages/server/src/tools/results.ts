/** Result steps the engine builds itself: for a call no tool could run, or whose tool threw. */
import type { Item } from '@interplay/protocol';

/** `code_execution_call` → `code_execution_result`, `mcp_server_tool_call` → `mcp_server_tool_result`. */
export function resultTypeFor(callType: string): string {
  return callType.endsWith('_call') ? `${callType.slice(0, -'_call'.length)}_result` : `${callType}_result`;
}

/** An `is_error` result for `call`, shaped as its result type expects. */
export function errorResult(call: Item, message: string): Item {
  const callId = typeof call.id === 'string' ? call.id : '';
  const base = { type: resultTypeFor(call.type), call_id: callId, is_error: true };
  switch (call.type) {
    case 'url_context_call': {
      // url_context results are a list of per-URL statuses, not a string.
      const urls = (call.arguments as { urls?: unknown } | undefined)?.urls;
      const list = Array.isArray(urls) ? urls.filter((u): u is string => typeof u === 'string') : [];
      return {
        ...base,
        result: list.map((url) => ({ url, status: 'error' })),
        error_message: message,
      } as Item;
    }
    case 'mcp_server_tool_call':
      return { ...base, name: call.name, server_name: call.server_name, result: message } as Item;
    default:
      return { ...base, result: message } as Item;
  }
}
