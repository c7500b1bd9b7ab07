/** The pure retry decision: every branch of the policy in docs/client/retries.md. */
import { describe, expect, it } from 'vitest';
import {
  type AttemptOutcome,
  BACKOFF_MAX_MS,
  backoffDelay,
  decideRetry,
  parseRetryAfter,
  type RequestKind,
} from '../src/index.ts';

const status = (s: number, headers: Record<string, string> = {}): AttemptOutcome => ({
  kind: 'status',
  status: s,
  headers,
});
const decide = (kind: RequestKind, outcome: AttemptOutcome, attempt = 0) =>
  decideRetry({ kind, attempt, maxRetries: 2, outcome, random: 0.5, now: 0 });

describe('decideRetry', () => {
  it.each([
    [408, true, false],
    [429, true, true],
    [500, true, false],
    [502, true, false],
    [503, true, true],
    [504, true, false],
    [501, false, false],
    [400, false, false],
    [404, false, false],
    [409, false, false],
  ])('HTTP %i: idempotent retries=%s, unsafe (create/cancel) retries=%s', (code, idempotent, unsafe) => {
    expect(decide('idempotent', status(code)).retry).toBe(idempotent);
    expect(decide('unsafe', status(code)).retry).toBe(unsafe);
  });

  it('connection failures: connect phase always retried, transfer phase only when idempotent', () => {
    expect(decide('unsafe', { kind: 'network', phase: 'connect' }).retry).toBe(true);
    expect(decide('unsafe', { kind: 'network', phase: 'transfer' }).retry).toBe(false);
    expect(decide('idempotent', { kind: 'network', phase: 'transfer' }).retry).toBe(true);
  });

  it('timeouts retried only when idempotent; aborts never', () => {
    expect(decide('unsafe', { kind: 'timeout' }).retry).toBe(false);
    expect(decide('idempotent', { kind: 'timeout' }).retry).toBe(true);
    expect(decide('idempotent', { kind: 'aborted' }).retry).toBe(false);
  });

  it('stops when retries are used up', () => {
    expect(decide('idempotent', status(503), 1).retry).toBe(true);
    expect(decide('idempotent', status(503), 2)).toEqual({ retry: false, reason: 'no retries left (2)' });
  });

  it('uses the server-requested delay, and refuses one over 60 s', () => {
    expect(decide('unsafe', status(429, { 'retry-after': '2' }))).toMatchObject({
      retry: true,
      delayMs: 2000,
    });
    expect(decide('unsafe', status(429, { 'retry-after-ms': '150', 'retry-after': '9' }))).toMatchObject({
      delayMs: 150,
    });
    expect(decide('unsafe', status(429, { 'retry-after': '61' })).retry).toBe(false);
  });

  it('x-should-retry overrides the status rule both ways', () => {
    expect(decide('unsafe', status(500, { 'x-should-retry': 'true' })).retry).toBe(true);
    expect(decide('idempotent', status(503, { 'x-should-retry': 'false' })).retry).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('is full jitter under 500 ms · 2^attempt, capped at 8 s', () => {
    expect(backoffDelay(0, 0)).toBe(0);
    expect(backoffDelay(0, 0.999)).toBeLessThan(500);
    expect(backoffDelay(1, 0.5)).toBe(500);
    expect(backoffDelay(2, 0.5)).toBe(1000);
    expect(backoffDelay(10, 0.999)).toBeLessThan(BACKOFF_MAX_MS);
    expect(backoffDelay(10, 0.5)).toBe(BACKOFF_MAX_MS / 2);
  });
});

describe('parseRetryAfter', () => {
  it('reads ms, seconds and HTTP dates; ignores junk', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '250.5' })).toBe(250.5);
    expect(parseRetryAfter({ 'retry-after': '3' })).toBe(3000);
    expect(
      parseRetryAfter(
        { 'retry-after': 'Wed, 21 Oct 2026 07:28:05 GMT' },
        Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'),
      ),
    ).toBe(5000);
    expect(
      parseRetryAfter(
        { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' },
        Date.parse('Wed, 21 Oct 2026 07:29:00 GMT'),
      ),
    ).toBe(0);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': '-1' })).toBeUndefined();
    expect(parseRetryAfter({})).toBeUndefined();
  });
});
