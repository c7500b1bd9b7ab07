/**
 * The Files API is a classic Google API: its errors use `{"error":{"code":<http>,"message","status"}}` (what the
 * official SDKs parse for files), unlike the Interactions API's string-code envelope.
 */
import type { ServerResponse } from 'node:http';
import type { InteractionsError } from '@interplay/protocol';
import { sendJson } from '../http/respond.ts';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'INVALID_ARGUMENT',
  409: 'ALREADY_EXISTS',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
};

export function sendFilesError(
  res: ServerResponse,
  err: InteractionsError,
  headers?: Record<string, string>,
): void {
  const status = err.status;
  sendJson(
    res,
    status,
    {
      error: {
        code: status,
        message: err.message,
        status: STATUS_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT'),
      },
    },
    headers,
  );
}
