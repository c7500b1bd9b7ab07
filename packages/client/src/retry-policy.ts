/**
 * The retry decision, as one pure function. See docs/client/retries.md for the policy and its reasons.
 *
 * Two request kinds:
 * - `idempotent` (GET, DELETE, stream resume): retried on 408, 429, 5xx (but 501/505), timeouts and any
 *   connection failure.
 * - `unsafe` (create, cancel — POSTs that could fork a `previous_interaction_id` chain or bill twice): retried
 *   only when the request cannot have reached the server (connection refused, DNS failure, connect timeout)
 *   or the server said so (429, 503, or `x-should-retry: true`). Never after a timeout, reset or 500.
 */

export type RequestKind = 'idempotent' | 'unsafe';

/** What happened to one attempt. */
export type AttemptOutcome =
  /** An HTTP error response. `headers` are the response headers, lower-case. */
  | { kind: 'status'; status: number; headers: Record<string, string | string[] | undefined> }
  /** A connection failure. `connect`: the connection was never established, so nothing was sent. */
  | { kind: 'network'; phase: 'connect' | 'transfer' }
  /** The per-request timeout fired. */
  | { kind: 'timeout' }
  /** The caller aborted. */
  | { kind: 'aborted' };

export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; reason: string };

export interface RetryInput {
  kind: RequestKind;
  /** 0 for the first attempt. */
  attempt: number;
  maxRetries: number;
  outcome: AttemptOutcome;
  /** Injected for purity: `Date.now()` and `Math.random()` by default. */
  now?: number;
  random?: number;
}

export const BACKOFF_INITIAL_MS = 500;
export const BACKOFF_MAX_MS = 8_000;
/** A server asking to wait longer than this is not retried: the error is returned to the caller. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Exponential backoff with full jitter: uniform in [0, min(8 s, 500 ms · 2^attempt)). */
export function backoffDelay(attempt: number, random: number): number {
  const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** attempt);
  return Math.floor(random * cap);
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Milliseconds the server asked to wait: `retry-after-ms` (ms), else `retry-after` as seconds or an HTTP
 * date. `undefined` when absent or unparsable.
 */
export function parseRetryAfter(
  headers: Record<string, string | string[] | undefined>,
  now: number = Date.now(),
): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const ra = header(headers, 'retry-after');
  if (ra === undefined || ra.trim() === '') return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return secs >= 0 ? secs * 1000 : undefined;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const UNSAFE_RETRY_STATUSES = new Set([429, 503]);

function retryableStatus(kind: RequestKind, status: number): boolean {
  if (kind === 'unsafe') return UNSAFE_RETRY_STATUSES.has(status);
  // 501 (not implemented) and 505 are permanent answers, not hiccups.
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Decide whether to retry an attempt that failed, and after how long. */
export function decideRetry(input: RetryInput): RetryDecision {
  const { kind, attempt, maxRetries, outcome } = input;
  const random = input.random ?? Math.random();
  if (outcome.kind === 'aborted') return { retry: false, reason: 'aborted by caller' };
  if (attempt >= maxRetries) return { retry: false, reason: `no retries left (${maxRetries})` };

  const backoff = (reason: string): RetryDecision => ({
    retry: true,
    delayMs: backoffDelay(attempt, random),
    reason,
  });

  switch (outcome.kind) {
    case 'network':
      if (outcome.phase === 'connect') return backoff('connection not established; nothing was sent');
      return kind === 'idempotent'
        ? backoff('connection failed; request is idempotent')
        : { retry: false, reason: 'connection failed after the request may have been sent' };
    case 'timeout':
      return kind === 'idempotent'
        ? backoff('timed out; request is idempotent')
        : { retry: false, reason: 'timed out after the request may have been processed' };
    case 'status': {
      const { status, headers } = outcome;
      const should = header(headers, 'x-should-retry');
      if (should === 'false') return { retry: false, reason: 'server said x-should-retry: false' };
      if (!(should === 'true' || retryableStatus(kind, status))) {
        return { retry: false, reason: `HTTP ${status} is not retried for ${kind} requests` };
      }
      const asked = parseRetryAfter(headers, input.now ?? Date.now());
      if (asked === undefined) return backoff(`HTTP ${status}`);
      if (asked > MAX_RETRY_AFTER_MS) {
        return { retry: false, reason: `server asked to wait ${asked} ms (more than ${MAX_RETRY_AFTER_MS})` };
      }
      return { retry: true, delayMs: Math.ceil(asked), reason: `HTTP ${status}; server asked to wait` };
    }
  }
}
