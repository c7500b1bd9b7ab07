/**
 * Is an MCP request's error a dead connection, and could the request have reached the server? One rule for
 * the client-side MCP connection (@interplay/mcp) and the server's hosted MCP sessions, so they cannot drift.
 * Retrying a `tools/call` that may have run would run a side effect twice, so only "certainly not delivered"
 * failures retry calls; a list (or a read-only/idempotent tool) retries on any connection failure.
 *
 * The MCP SDK is the callers' dependency, not protocol's: they pass its two error classes in.
 *
 * @example
 * import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
 * import { McpError } from '@modelcontextprotocol/sdk/types.js';
 * mcpConnectionFailure(error, { StreamableHTTPError, McpError }); // 'not_delivered' | 'maybe_delivered' | undefined
 */

export type ConnectionFailure = 'not_delivered' | 'maybe_delivered' | undefined;

/** The MCP SDK's error classes the rule reads. */
export interface McpSdkErrors {
  StreamableHTTPError: abstract new (...args: never[]) => Error & { code?: number };
  McpError: abstract new (...args: never[]) => Error & { code: number };
}

/** The SDK's `ErrorCode.ConnectionClosed` (JSON-RPC's implementation-defined server error range). */
const CONNECTION_CLOSED = -32000;

/** Failures before the request left: no connection was made, or the socket was already closed under us. */
const NOT_DELIVERED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

function causeCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function mcpConnectionFailure(error: unknown, sdk: McpSdkErrors): ConnectionFailure {
  if (error instanceof sdk.StreamableHTTPError) {
    // 404: the server does not know our session (it restarted); it did not run the request.
    if (error.code === 404) return 'not_delivered';
    return undefined;
  }
  if (error instanceof sdk.McpError) {
    // Closed while waiting: the request was sent and may have run. Timeouts are not connection failures.
    return error.code === CONNECTION_CLOSED && /connection closed/i.test(error.message)
      ? 'maybe_delivered'
      : undefined;
  }
  if (!(error instanceof Error)) return undefined;
  if (error.message === 'Not connected') return 'not_delivered';
  const code = causeCode(error);
  if (code && NOT_DELIVERED.has(code)) return 'not_delivered';
  if (error.name === 'TypeError' && /fetch failed/i.test(error.message)) return 'maybe_delivered';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'maybe_delivered';
  return undefined;
}

/** The hints of an MCP tool's `annotations` that make it safe to run twice. */
export interface McpRepeatHints {
  readOnlyHint?: boolean | undefined;
  idempotentHint?: boolean | undefined;
}

/**
 * Whether a `tools/call` of a tool with these annotations may be sent again after a connection failure that
 * may have delivered it: the server says the tool changes nothing (`readOnlyHint`) or that a second run with
 * the same arguments changes nothing more (`idempotentHint`). Any other call is retried only when it certainly
 * was not delivered.
 */
export function isRepeatableMcpTool(annotations: McpRepeatHints | undefined): boolean {
  return annotations?.readOnlyHint === true || annotations?.idempotentHint === true;
}

/**
 * How the SDK's HTTP transport reopens an SSE stream the MCP server ended on purpose, for both callers: the
 * notification (GET) stream a server closes to have its clients poll, or a proxy closes when idle, and an
 * answer stream that carried event ids (a resumable server). Reopened after a second, at most twice: without
 * it the session no longer hears `tools/list_changed`, and a call answered on a resumable stream waits for its
 * timeout. A stream that broke is not reopened: the session is closed (`isBrokenMcpStream`).
 */
export const MCP_STREAM_RECONNECTION = {
  maxRetries: 2,
  initialReconnectionDelay: 1_000,
  maxReconnectionDelay: 1_000,
  reconnectionDelayGrowFactor: 1,
} as const;

/**
 * Whether an error the SDK's HTTP transport reports to the client's `onerror` (to no request) is an SSE stream
 * that failed before its end, or one it could not reopen (`MCP_STREAM_RECONNECTION`). The requests to be
 * answered on it would wait for their timeout: close the session, which fails them as "Connection closed" now,
 * and the next request opens a new one.
 */
export function isBrokenMcpStream(error: Error): boolean {
  return (
    error.message.startsWith('SSE stream disconnected') ||
    error.message.startsWith('Maximum reconnection attempts')
  );
}
