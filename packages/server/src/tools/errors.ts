/**
 * Errors a server tool throws to fail the whole turn rather than its one call. A tool's ordinary failures
 * are results the model reads (`is_error: true`); these are the client's business: the interaction ends
 * `failed` with the error's code, so a foreground create answers with that code's HTTP status.
 */

/**
 * The caller's key is over a capacity limit (e.g. too many Python programs waiting): the turn fails with
 * `resource_exhausted` (HTTP 429); retry later. Siblings of the call in the same round are cancelled.
 *
 * @example
 * throw new ResourceExhaustedError('this API key already has 8 Python programs waiting');
 */
export class ResourceExhaustedError extends Error {
  override readonly name = 'ResourceExhaustedError';
  readonly code = 'resource_exhausted';
}
