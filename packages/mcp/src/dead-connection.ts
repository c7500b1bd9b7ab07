/**
 * Is an error a dead connection, and could the request have reached the server? Retrying a `tools/call`
 * that may have run would run a side effect twice, so only "certainly not delivered" failures retry calls;
 * a list (or a read-only/idempotent tool) retries on any connection failure.
 */
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

export type ConnectionFailure = 'not_delivered' | 'maybe_delivered' | undefined;

const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

function causeCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function classifyFailure(error: unknown): ConnectionFailure {
  if (error instanceof StreamableHTTPError) {
    // 404: the server does not know our session (it restarted); it did not run the request.
    if (error.code === 404) return 'not_delivered';
    return undefined;
  }
  if (error instanceof McpError) {
    // Closed while waiting: the request was sent and may have run. Timeouts are not connection failures.
    return error.code === ErrorCode.ConnectionClosed && /connection closed/i.test(error.message)
      ? 'maybe_delivered'
      : undefined;
  }
  if (!(error instanceof Error)) return undefined;
  if (error.message === 'Not connected') return 'not_delivered';
  const code = causeCode(error);
  if (code && REFUSED.has(code)) return 'not_delivered';
  if (error.name === 'TypeError' && /fetch failed/i.test(error.message)) return 'maybe_delivered';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'maybe_delivered';
  return undefined;
}
