/** The upstream retry policy: which answers are retried, and how Retry-After headers are read. */
import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryPolicy } from '../src/providers/shared/retry-policy.ts';
import { scrub, upstreamHttpError } from '../src/providers/shared/upstream-error.ts';

describe('retry policy', () => {
  it('reads retry-after-ms, retry-after in seconds and as an HTTP date', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(retryAfterMs({ 'retry-after-ms': '250' }, now)).toBe(250);
    expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2000);
    expect(retryAfterMs({ 'retry-after': 'Tue, 01 Dec 2026 10:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });

  it('retries 408, 429 and 5xx; a Retry-After past the limit is not waited', () => {
    const policy = retryPolicy({ maxRetryAfterMs: 1000 });
    expect([400, 401, 404, 408, 429, 500, 503].map((s) => policy.retriesStatus(s))).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    expect(policy.delayMs(1, { 'retry-after': '1' })).toBe(1000);
    expect(policy.delayMs(1, { 'retry-after': '20' })).toBeUndefined();
    const backoff = retryPolicy({ baseDelayMs: 100, maxDelayMs: 400 });
    for (const attempt of [1, 2, 3, 4]) {
      const ceiling = Math.min(400, 100 * 2 ** (attempt - 1));
      const wait = backoff.delayMs(attempt) ?? -1;
      expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
      expect(wait).toBeLessThanOrEqual(ceiling);
    }
  });
});

describe('upstream errors', () => {
  it('never repeat a key: configured secrets, bearer tokens and sk- keys are removed', () => {
    expect(scrub('key sk-abc123***wxyz and Bearer abc.def and s3cr3t', ['s3cr3t'])).toBe(
      'key [redacted key] and Bearer [redacted] and [redacted]',
    );
    const error = upstreamHttpError({
      provider: 'openai',
      status: 400,
      body: JSON.stringify({ error: { message: 'bad key s3cr3t in header' } }),
      secrets: ['s3cr3t'],
    });
    expect(error.code).toBe('invalid_request');
    expect(error.message).not.toContain('s3cr3t');
  });
});
