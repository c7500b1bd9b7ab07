/**
 * Client-side error types. Every error the client throws is an `InteractionsError` (from @interplay/protocol)
 * with `status`, `code`, `message` and `requestId`; failures without an HTTP response use status 0 and the
 * stable codes below.
 */
import { InteractionsError, parseErrorEnvelope, statusForCode } from '@interplay/protocol';

/** Codes of failures that have no HTTP response. */
export const CLIENT_ERROR_CODES = {
  connection: 'connection_error',
  timeout: 'timeout',
  aborted: 'aborted',
} as const;

/** Where a connection failure happened; `connect` failures prove the request never reached the server. */
export type ConnectionPhase = 'connect' | 'transfer';

function setName(error: Error, name: string): void {
  Object.defineProperty(error, 'name', {
    value: name,
    enumerable: false,
    configurable: true,
    writable: true,
  });
}

/** The connection failed (refused, DNS failure, reset, cut mid-stream). */
export class ConnectionError extends InteractionsError {
  /** `connect`: no byte of the request can have reached the server. */
  readonly phase: ConnectionPhase;
  constructor(
    message: string,
    phase: ConnectionPhase,
    options: { cause?: unknown; requestId?: string } = {},
  ) {
    super(CLIENT_ERROR_CODES.connection, message, { status: 0, ...options });
    this.phase = phase;
    setName(this, 'ConnectionError');
  }
}

/** A request (or the silence inside a stream) took longer than `timeoutMs`. */
export class TimeoutError extends InteractionsError {
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number, options: { requestId?: string } = {}) {
    super(CLIENT_ERROR_CODES.timeout, message, { status: 0, ...options });
    this.timeoutMs = timeoutMs;
    setName(this, 'TimeoutError');
  }
}

/** The caller's `AbortSignal` fired. `name` is `AbortError`, like the DOM's, so generic checks work. */
export class AbortedError extends InteractionsError {
  constructor(reason?: unknown) {
    const detail =
      reason instanceof Error ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : '';
    super(CLIENT_ERROR_CODES.aborted, `Request aborted${detail}`, { status: 0, cause: reason });
    setName(this, 'AbortError');
  }
}

/** Header names that may carry a request id, in order of preference. */
const REQUEST_ID_HEADERS = ['x-request-id', 'x-goog-request-id'];

/** The request id of a response, if it sent one. */
export function requestIdFrom(headers: Record<string, string | string[] | undefined>): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const v = headers[name];
    const s = Array.isArray(v) ? v[0] : v;
    if (s) return s;
  }
  return undefined;
}

/** The typed error of an HTTP error response (either envelope shape; see `parseErrorEnvelope`). */
export function errorFromResponse(status: number, bodyText: string, requestId?: string): InteractionsError {
  return parseErrorEnvelope(bodyText, status, requestId);
}

/**
 * The typed error carried by a parsed JSON value `{error: {...}}` found inside a stream (a bare JSON line or
 * an `error` event). Handles string codes and the classic Google numeric code + status word. Returns
 * `undefined` when the value holds no error, or an empty one (`{}` — non-fatal per the reference).
 */
export function errorFromJson(json: unknown, requestId?: string): InteractionsError | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const e = (json as { error?: unknown }).error;
  if (e === null || typeof e !== 'object') return undefined;
  const { code, message } = e as { code?: unknown; message?: unknown };
  const hasCode = (typeof code === 'string' && code !== '') || typeof code === 'number';
  const hasMessage = typeof message === 'string' && message !== '';
  if (!hasCode && !hasMessage) return undefined;
  if (typeof code === 'number') return parseErrorEnvelope(JSON.stringify(json), code, requestId);
  const c = typeof code === 'string' && code ? code : 'api_error';
  return new InteractionsError(c, hasMessage ? (message as string) : c, {
    status: statusForCode(c),
    requestId,
  });
}

/** A stream whose data could not be parsed. */
export function malformedStreamError(detail: string, requestId?: string): InteractionsError {
  return new InteractionsError('api_error', `malformed_stream: ${detail}`, { status: 500, requestId });
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Map a low-level failure (undici/socket error, or our own abort reason) to a client error.
 * Connection failures whose code proves the TCP connection was never established get phase `connect`.
 */
export function toClientError(err: unknown, requestId?: string): InteractionsError {
  if (err instanceof InteractionsError) return err;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECT_CODES.has(code)) {
      return new ConnectionError(`${code}: ${err.message}`, 'connect', { cause: err, requestId });
    }
    if (err.name === 'AbortError') return new AbortedError(err);
    const label = typeof code === 'string' ? `${code}: ` : '';
    return new ConnectionError(`${label}${err.message}`, 'transfer', { cause: err, requestId });
  }
  return new ConnectionError(String(err), 'transfer', { cause: err, requestId });
}
