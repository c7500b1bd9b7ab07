/**
 * A closed-loop load generator on undici's Pool: `concurrency` clients, each on its own keep-alive
 * connection, send the same request back to back. Runs in the bench process; the servers are children, so
 * generator and server do not share a core. Throughput counts the responses completed inside the measured
 * window (after a warm-up); latency is per request, over the same window.
 */
import { Pool } from 'undici';

export interface LoadOptions {
  url: string;
  path: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  concurrency: number;
  requests: number;
  errors: number;
  /** Responses per second inside the window. */
  rps: number;
  latencies: number[];
  /** Requests sent in total (warm-up and tail included), to compare with the server's own count. */
  sent: number;
  firstError?: string;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(o.url, { connections: o.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const headers = { 'content-type': 'application/json', ...o.headers };
  const method = o.method ?? 'POST';
  const t0 = performance.now();
  const windowStart = t0 + o.warmupMs;
  const windowEnd = windowStart + o.durationMs;
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  let sent = 0;
  let firstError: string | undefined;

  async function client(): Promise<void> {
    while (performance.now() < windowEnd) {
      const start = performance.now();
      sent++;
      try {
        const res = await pool.request({ path: o.path, method, headers, body: o.body });
        const text = await res.body.text();
        const end = performance.now();
        if (res.statusCode !== 200) {
          errors++;
          firstError ??= `HTTP ${res.statusCode}: ${text.slice(0, 200)}`;
          continue;
        }
        if (end >= windowStart && end <= windowEnd) {
          requests++;
          latencies.push(end - start);
        }
      } catch (err) {
        errors++;
        firstError ??= String(err);
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: o.concurrency }, client));
  } finally {
    await pool.close();
  }
  return {
    concurrency: o.concurrency,
    requests,
    errors,
    rps: requests / (o.durationMs / 1000),
    latencies,
    sent,
    ...(firstError === undefined ? {} : { firstError }),
  };
}
