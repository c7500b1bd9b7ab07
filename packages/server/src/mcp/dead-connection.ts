/**
 * Whether an MCP request failed because the session is gone, and whether it may have reached the server.
 * Only "not delivered" calls are retried on a new session: a call that may have run must not run twice.
 * (Same rule as @interplay/mcp's client; the server does not depend on that package.)
 */
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

export type ConnectionFailure = 'not_delivered' | 'maybe_delivered' | undefined;

const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function causeCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function classifyFailure(error: unknown): ConnectionFailure {
  if (error instanceof StreamableHTTPError) return error.code === 404 ? 'not_delivered' : undefined;
  if (error instanceof McpError)
    return error.code === ErrorCode.ConnectionClosed && /connection closed/i.test(error.message)
      ? 'maybe_delivered'
      : undefined;
  if (!(error instanceof Error)) return undefined;
  if (error.message === 'Not connected') return 'not_delivered';
  const code = causeCode(error);
  if (code && NOT_DELIVERED.has(code)) return 'not_delivered';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || /fetch failed/i.test(error.message))
    return 'maybe_delivered';
  return undefined;
}
