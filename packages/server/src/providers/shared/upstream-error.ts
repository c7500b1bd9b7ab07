/**
 * What a model provider's upstream failure becomes: an {@link UpstreamError} with a stable Interactions code,
 * whose message says what happened without leaking the upstream's credentials.
 *
 * | upstream                        | code                  | HTTP |
 * | ------------------------------- | --------------------- | ---- |
 * | 401 / 403                       | `upstream_error`      | 502  |
 * | 400 / 422 (our request refused) | `invalid_request`     | 400  |
 * | 404 (no such model upstream)    | `not_found`           | 404  |
 * | 413 (too large)                 | `invalid_request`     | 400  |
 * | 429 after the retries           | `resource_exhausted`  | 429  |
 * | 5xx / resets after the retries  | `upstream_error`      | 502  |
 * | 503, 529 after the retries      | `service_unavailable` | 503  |
 * | no byte for `stallMs`           | `deadline_exceeded`   | 504  |
 *
 * @example
 * throw upstreamHttpError({ provider: 'openai', status: 401, body: '{"error":{…}}', secrets: [key] });
 */
import { InteractionsError } from '@interplay/protocol';

export class UpstreamError extends InteractionsError {
  /** The provider's name (`openai`, …). */
  readonly provider: string;
  /** The upstream's HTTP status, when it answered with one. */
  readonly upstreamStatus: number | undefined;

  constructor(
    code: string,
    message: string,
    options: { provider: string; upstreamStatus?: number; cause?: unknown },
  ) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.provider = options.provider;
    this.upstreamStatus = options.upstreamStatus;
  }
}

export interface UpstreamHttpFailure {
  provider: string;
  status: number;
  /** The response body as text (the upstream's own error message is read from it). */
  body: string;
  /** Values that must never appear in a message (the API key). */
  secrets?: readonly string[];
}

/** The error for an upstream's non-success answer (after any retries). */
export function upstreamHttpError({
  provider,
  status,
  body,
  secrets = [],
}: UpstreamHttpFailure): UpstreamError {
  const opts = { provider, upstreamStatus: status };
  const said = upstreamMessage(body, secrets);
  const detail = said ? `: ${said}` : '';
  if (status === 401 || status === 403) {
    // The upstream's own text may quote part of the key ("Incorrect API key provided: sk-ab***yz"): not shown.
    return new UpstreamError(
      'upstream_error',
      `The model provider '${provider}' refused this server's credentials (HTTP ${status}). ` +
        "The server's operator must check the provider's API key setting.",
      opts,
    );
  }
  if (status === 404)
    return new UpstreamError(
      'not_found',
      `The model provider '${provider}' has no such model${detail}`,
      opts,
    );
  if (status === 429) {
    return new UpstreamError(
      'resource_exhausted',
      `The model provider '${provider}' is rate-limiting this server (HTTP 429) and stayed so after retries${detail}`,
      opts,
    );
  }
  // 529: Anthropic's "overloaded" (its API's own status for a temporarily unavailable service).
  if (status === 503 || status === 529) {
    return new UpstreamError(
      'service_unavailable',
      `The model provider '${provider}' is unavailable (HTTP ${status})${detail}`,
      opts,
    );
  }
  if (status >= 500) {
    return new UpstreamError(
      'upstream_error',
      `The model provider '${provider}' failed (HTTP ${status})${detail}`,
      opts,
    );
  }
  return new UpstreamError(
    'invalid_request',
    `The model provider '${provider}' rejected the request (HTTP ${status})${detail}`,
    opts,
  );
}

/** The upstream did not send a byte for `ms`. */
export function stallError(provider: string, ms: number, phase: 'headers' | 'body'): UpstreamError {
  const what = phase === 'headers' ? 'did not start answering' : 'stopped sending';
  return new UpstreamError(
    'deadline_exceeded',
    `The model provider '${provider}' ${what} for ${ms} ms; the request was abandoned.`,
    { provider },
  );
}

/** The upstream could not be reached, or its connection broke, and the retries are spent. */
export function connectionError(provider: string, cause: unknown): UpstreamError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const code = (cause as { code?: unknown })?.code;
  return new UpstreamError(
    'upstream_error',
    `The model provider '${provider}' could not be reached: ${reason}${typeof code === 'string' ? ` (${code})` : ''}`,
    { provider, cause },
  );
}

/** The upstream's own error text (`{"error":{"message"}}`, `{"message"}`, `{"detail"}` or plain text), scrubbed. */
export function upstreamMessage(body: string, secrets: readonly string[] = []): string {
  let text = body.trim();
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const error = json.error;
    const candidates = [
      typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : error,
      json.message,
      json.detail,
    ];
    const found = candidates.find((c): c is string => typeof c === 'string' && c !== '');
    if (found !== undefined) text = found;
  } catch {
    // not JSON: the text itself
  }
  return scrub(text, secrets).slice(0, 500);
}

/** Removes the given secrets and anything shaped like a bearer token or an `sk-…` key. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return out
    .replace(/\bBearer\s+[\w.~+/=-]+/gi, 'Bearer [redacted]')
    .replace(/\b(sk|rk|pk)-[\w*-]{6,}/g, '[redacted key]');
}
