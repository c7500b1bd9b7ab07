/** Errors as data: whatever a provider throws becomes an `ErrorBody`, never an exception out of a turn. */
import type { ErrorBody } from '@interplay/protocol';

export function toErrorBody(error: unknown, fallbackCode = 'api_error'): ErrorBody {
  if (error && typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' && message ? message : 'provider error';
    // Node system errors carry codes like ECONNRESET; only snake_case API codes are kept.
    if (typeof code === 'string' && /^[a-z][a-z0-9_]*$/.test(code)) return { code, message: text };
    return { code: fallbackCode, message: text };
  }
  return { code: fallbackCode, message: String(error) };
}
