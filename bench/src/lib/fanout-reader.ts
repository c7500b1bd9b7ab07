/**
 * Many SSE streams read at once (the stream-fanout benchmark, in a load process of its own): `streams`
 * concurrent requests, each read to its end, noting when every event arrived. Events are counted at `event: `
 * line starts (the terminating `done` is not an event); an event's gap is the time since the stream's
 * previous event arrived (0 for events that came in the same chunk).
 */
import { Pool } from 'undici';
import { median, percentile } from './stats.ts';

export interface FanoutOptions {
  url: string;
  path: string;
  method: 'GET' | 'POST';
  body?: string;
  streams: number;
}

export interface FanoutResult {
  streams: number;
  /** Streams that ended with `done`. */
  completed: number;
  events: number;
  bytes: number;
  wallMs: number;
  eventsPerSecond: number;
  gapP50Ms: number;
  gapP99Ms: number;
  /** The largest gap of any stream. */
  gapMaxMs: number;
  firstEventP50Ms: number;
  clientCpuMicros: number;
}

const EVENT = 'event: ';

interface StreamRead {
  events: number;
  bytes: number;
  done: boolean;
  firstEventMs: number;
}

async function readOne(pool: Pool, o: FanoutOptions, gaps: number[], t0: number): Promise<StreamRead> {
  const res = await pool.request({
    path: o.path,
    method: o.method,
    headers: o.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(o.body === undefined ? {} : { body: o.body }),
  });
  if (res.statusCode !== 200) throw new Error(`stream: HTTP ${res.statusCode} ${await res.body.text()}`);
  res.body.setEncoding('utf8');
  const read: StreamRead = { events: 0, bytes: 0, done: false, firstEventMs: Number.NaN };
  let last = Number.NaN;
  let tail = '';
  for await (const chunk of res.body as AsyncIterable<string>) {
    const now = performance.now();
    read.bytes += Buffer.byteLength(chunk);
    const text = tail + chunk;
    let pos = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) break;
      if (text.startsWith(EVENT, pos)) {
        if (text.startsWith('done', pos + EVENT.length)) read.done = true;
        else {
          if (read.events === 0) read.firstEventMs = now - t0;
          else gaps.push(now - last);
          read.events++;
          last = now;
        }
      }
      pos = nl + 1;
    }
    tail = text.slice(pos);
  }
  return read;
}

export async function fanout(o: FanoutOptions): Promise<FanoutResult> {
  const pool = new Pool(o.url, { connections: o.streams, keepAliveTimeout: 30_000 });
  const gaps: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let reads: StreamRead[];
  try {
    reads = await Promise.all(Array.from({ length: o.streams }, () => readOne(pool, o, gaps, t0)));
  } finally {
    await pool.close();
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const events = reads.reduce((n, r) => n + r.events, 0);
  let gapMaxMs = 0;
  for (const g of gaps) if (g > gapMaxMs) gapMaxMs = g;
  return {
    streams: o.streams,
    completed: reads.filter((r) => r.done).length,
    events,
    bytes: reads.reduce((n, r) => n + r.bytes, 0),
    wallMs,
    eventsPerSecond: events / (wallMs / 1000),
    gapP50Ms: median(gaps),
    gapP99Ms: percentile(gaps, 99),
    gapMaxMs,
    firstEventP50Ms: median(reads.map((r) => r.firstEventMs)),
    clientCpuMicros: cpu.user + cpu.system,
  };
}
