/** Error codes of the Interactions API with their HTTP statuses (reference §6), and the typed error. */
import type { ErrorBody, ErrorEnvelope } from './wire/common.ts';

export const ERROR_STATUS = {
  invalid_request: 400,
  failed_precondition: 400,
  parameter_unknown: 400,
  authentication: 401,
  payment_required: 402,
  permission_denied: 403,
  not_found: 404,
  model_not_found: 404,
  conflict: 409,
  out_of_range: 416,
  rate_limit_exceeded: 429,
  quota_exceeded: 429,
  /**
   * A capacity limit of a self-hosted server: a key's queued sandbox programs, or a model provider that stayed
   * rate-limited after the server's retries. The live API uses the two codes above.
   */
  resource_exhausted: 429,
  cancelled: 499,
  api_error: 500,
  unimplemented: 501,
  /** A model provider behind a self-hosted server failed, or refused the server's own credentials. */
  upstream_error: 502,
  service_unavailable: 503,
  deadline_exceeded: 504,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** HTTP status for a code; unknown codes (e.g. generation-blocked codes like `safety`) map to 400. */
export function statusForCode(code: string): number {
  return (ERROR_STATUS as Record<string, number>)[code] ?? 400;
}

/** Best code for an HTTP status when a body carries none. */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'authentication';
    case 402:
      return 'payment_required';
    case 403:
      return 'permission_denied';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 416:
      return 'out_of_range';
    case 429:
      return 'rate_limit_exceeded';
    case 499:
      return 'cancelled';
    case 501:
      return 'unimplemented';
    case 503:
      return 'service_unavailable';
    case 504:
      return 'deadline_exceeded';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request';
  }
}

export interface InteractionsErrorOptions {
  /** HTTP status; defaults to the code's. */
  status?: number;
  /** Where in the request body the problem is, e.g. `tools[0].type`. */
  field?: string;
  requestId?: string;
  cause?: unknown;
}

/**
 * An Interactions API error with a stable string `code`.
 *
 * @example
 * throw new InteractionsError('invalid_request', "'input' is required", { field: 'input' });
 */
export class InteractionsError extends Error {
  override readonly name = 'InteractionsError';
  readonly code: string;
  readonly status: number;
  readonly field: string | undefined;
  readonly requestId: string | undefined;

  constructor(code: ErrorCode | (string & {}), message: string, options: InteractionsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? statusForCode(code);
    this.field = options.field;
    this.requestId = options.requestId;
  }

  /** The wire envelope `{"error":{"code","message"}}`. */
  toEnvelope(): ErrorEnvelope {
    return { error: { code: this.code, message: this.message } };
  }

  /** Build from a parsed error body (an HTTP error response or a stream `error` event). */
  static fromBody(
    body: Partial<ErrorBody> | undefined,
    status?: number,
    requestId?: string,
  ): InteractionsError {
    const code = typeof body?.code === 'string' && body.code ? body.code : codeForStatus(status ?? 500);
    const message =
      typeof body?.message === 'string' && body.message ? body.message : `HTTP ${status ?? 'error'}`;
    return new InteractionsError(code, message, { status: status ?? statusForCode(code), requestId });
  }
}

/** Parse an error response body in either the Interactions envelope or the classic Google shape. */
export function parseErrorEnvelope(text: string, status: number, requestId?: string): InteractionsError {
  try {
    const json = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; status?: unknown } };
    const e = json?.error;
    if (e && typeof e === 'object') {
      // Classic Google errors use a numeric code and a `status` word (e.g. INVALID_ARGUMENT).
      const code = typeof e.code === 'string' ? e.code : codeForStatus(status);
      const message = typeof e.message === 'string' ? e.message : text;
      return new InteractionsError(code, message, { status, requestId });
    }
  } catch {
    // not JSON: fall through
  }
  return new InteractionsError(codeForStatus(status), text.slice(0, 500) || `HTTP ${status}`, {
    status,
    requestId,
  });
}
