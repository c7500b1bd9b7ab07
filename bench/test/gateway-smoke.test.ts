/**
 * Smoke test of the gateway benchmark in quick mode: every streamed answer, direct or through Interplay,
 * Portkey or nginx, came whole from the paced upstream (the upstream served exactly one request per answer).
 * No timing.
 */
import { describe, expect, it } from 'vitest';
import { findNginx } from '../src/lib/nginx-proxy.ts';
import { gateway } from '../src/scenarios/gateway.ts';

describe('gateway benchmark (quick mode)', () => {
  it('each variant streams every token from the upstream, and the figures are finite', async () => {
    const result = await gateway.run({ quick: true, log: () => {} });
    expect(result.evidence.incomplete).toBe(0);
    expect(result.evidence.upstreamRequests).toBe(result.evidence.sent);
    for (const [key, value] of Object.entries(result.figures)) expect(Number.isFinite(value), key).toBe(true);
    // nginx, the reference proxy, is measured whenever it is installed (.ci/run installs it).
    if (findNginx()) expect(result.figures['c1.nginx.added_p50_ms']).toBeTypeOf('number');
  }, 120_000);
});
