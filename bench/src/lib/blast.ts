/**
 * Fixed-body load (server-create): autocannon's closed-loop clients, one keep-alive connection each, run in a
 * load process of their own (load-child.ts). Autocannon writes pre-built request bytes and parses responses
 * with a small parser, so it spends less CPU per request than a general HTTP client: on two cores the bare
 * server, not the generator, should be what runs out of CPU.
 */
import autocannon from 'autocannon';
import { TAG_HEADER } from './server-types.ts';

export interface BlastOptions {
  url: string;
  path: string;
  body: string;
  tag: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Send exactly this many requests instead of running for `durationMs` (quick mode). */
  amount?: number;
}

export interface BlastResult {
  /** Responses inside the measured window, and per second. */
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors and non-2xx answers (both should be 0). */
  errors: number;
  /** CPU time of this load process during the measured window (µs): what generating the load cost. */
  clientCpuMicros: number;
  wallMs: number;
}

function run(o: BlastOptions, durationMs: number, amount?: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${o.url}${o.path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', [TAG_HEADER]: o.tag },
    body: o.body,
    connections: o.connections,
    ...(amount === undefined ? { duration: durationMs / 1000 } : { amount }),
  });
}

export async function blast(o: BlastOptions): Promise<BlastResult> {
  if (o.warmupMs > 0) await run(o, o.warmupMs);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await run(o, o.durationMs, o.amount);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    requests: result.requests.total,
    rps: result.requests.total / (wallMs / 1000),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    clientCpuMicros: cpu.user + cpu.system,
    wallMs,
  };
}
