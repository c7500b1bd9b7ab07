/**
 * When a failed upstream call is tried again, and after how long: 429 and 5xx answers and connections that
 * broke before the first byte are retried with exponential backoff (full jitter), a `Retry-After` (or
 * `retry-after-ms`) header wins over the backoff, and a wait longer than `maxRetryAfterMs` is not waited.
 *
 * @example
 * const policy = retryPolicy({ maxAttempts: 3 });
 * const wait = policy.delayMs(1, { 'retry-after': '2' }); // 2000
 */

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** Backoff of the first retry, doubled each time (with jitter). Default 500 ms. */
  baseDelayMs?: number;
  /** Longest backoff. Default 8 000 ms. */
  maxDelayMs?: number;
  /** A `Retry-After` asking for longer than this is not waited for: the call fails at once. Default 60 000 ms. */
  maxRetryAfterMs?: number;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** Whether an HTTP status is worth another attempt. */
  retriesStatus(status: number): boolean;
  /**
   * How long to wait before attempt `attempt + 1` (attempts count from 1), honouring the response's headers
   * (or, without them, a wait the response body asked for, e.g. Gemini's `RetryInfo.retryDelay`);
   * `undefined` when the server asked for a wait longer than `maxRetryAfterMs`.
   */
  delayMs(
    attempt: number,
    headers?: Record<string, string | string[] | undefined>,
    bodyAskedMs?: number,
  ): number | undefined;
}

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? 3;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 8_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  return {
    maxAttempts,
    retriesStatus: (status) => status === 408 || status === 429 || status >= 500,
    delayMs(attempt, headers, bodyAskedMs) {
      const asked = (headers ? retryAfterMs(headers, Date.now()) : undefined) ?? bodyAskedMs;
      if (asked !== undefined) return asked > maxRetryAfter ? undefined : asked;
      const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
      return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    },
  };
}

/** `retry-after-ms` (milliseconds) or `retry-after` (seconds, or an HTTP date), in ms from `now`. */
export function retryAfterMs(
  headers: Record<string, string | string[] | undefined>,
  now: number,
): number | undefined {
  const first = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const ms = Number(first('retry-after-ms'));
  if (first('retry-after-ms') !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const after = first('retry-after')?.trim();
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
