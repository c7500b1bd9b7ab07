import { describe, expect, it } from 'vitest';
import {
  codeForStatus,
  ERROR_STATUS,
  InteractionsError,
  parseErrorEnvelope,
  statusForCode,
} from '../src/index.ts';

describe('error codes', () => {
  it('maps every code of the reference table to its HTTP status', () => {
    expect(ERROR_STATUS).toMatchObject({
      invalid_request: 400,
      failed_precondition: 400,
      parameter_unknown: 400,
      authentication: 401,
      payment_required: 402,
      permission_denied: 403,
      not_found: 404,
      model_not_found: 404,
      out_of_range: 416,
      rate_limit_exceeded: 429,
      quota_exceeded: 429,
      resource_exhausted: 429,
      cancelled: 499,
      api_error: 500,
      unimplemented: 501,
      service_unavailable: 503,
      deadline_exceeded: 504,
    });
    expect(statusForCode('safety')).toBe(400);
    expect(codeForStatus(502)).toBe('api_error');
    expect(codeForStatus(429)).toBe('rate_limit_exceeded');
  });

  it('InteractionsError carries code, status, field and serializes to the envelope', () => {
    const err = new InteractionsError('invalid_request', "'input' is required", { field: 'input' });
    expect(err).toBeInstanceOf(Error);
    expect(err.status).toBe(400);
    expect(err.field).toBe('input');
    expect(err.toEnvelope()).toEqual({ error: { code: 'invalid_request', message: "'input' is required" } });
  });

  it('parses the Interactions envelope, the classic Google shape and non-JSON bodies', () => {
    const a = parseErrorEnvelope('{"error":{"code":"not_found","message":"gone"}}', 404, 'req-1');
    expect([a.code, a.message, a.status, a.requestId]).toEqual(['not_found', 'gone', 404, 'req-1']);
    const b = parseErrorEnvelope(
      '{"error":{"code":400,"message":"Invalid JSON payload","status":"INVALID_ARGUMENT"}}',
      400,
    );
    expect([b.code, b.message]).toEqual(['invalid_request', 'Invalid JSON payload']);
    const c = parseErrorEnvelope('<html>bad gateway</html>', 502);
    expect([c.code, c.status]).toEqual(['api_error', 502]);
  });
});
