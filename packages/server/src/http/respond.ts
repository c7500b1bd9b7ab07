/** Writing JSON and error responses. Every error leaves as `{"error":{"code","message"}}`. */
import type { ServerResponse } from 'node:http';
import { InteractionsError } from '@interplay/protocol';

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Normalize anything thrown into an `InteractionsError` (unknown errors become a 500 `api_error`). */
export function toInteractionsError(err: unknown): InteractionsError {
  if (err instanceof InteractionsError) return err;
  return new InteractionsError('api_error', 'Internal server error.', { cause: err });
}

export function sendError(
  res: ServerResponse,
  err: InteractionsError,
  headers?: Record<string, string>,
): void {
  sendJson(res, err.status, err.toEnvelope(), headers);
}

/** `invalid_request` with a field path, the common 400. */
export function badRequest(message: string, field?: string): InteractionsError {
  return new InteractionsError('invalid_request', message, field === undefined ? {} : { field });
}

export function notFound(message: string, field?: string): InteractionsError {
  return new InteractionsError('not_found', message, field === undefined ? {} : { field });
}
