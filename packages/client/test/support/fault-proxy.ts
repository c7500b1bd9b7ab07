/**
 * A fault-injecting HTTP proxy (node:http) that sits between the client under test and any Interactions
 * server: the fake API, or the project's own server. It logs every request, re-chunks every response body at
 * random byte boundaries, and applies queued faults: canned responses, hangs, resets, and stream shaping
 * (cut / truncate / stall after N SSE frames, raw text injection, `event_id` stripping).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoggedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Fault {
  method?: string;
  /** Tested against path + query. */
  path?: RegExp;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /** Answer with this instead of forwarding. */
  respond?: { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };
  /** Never answer. */
  hang?: boolean;
  /** Destroy the socket after reading the request, without answering. */
  reset?: boolean;
  /** Forwarded SSE: after this many complete frames, apply `finish` (a part of the next frame is sent first). */
  afterEvents?: number;
  finish?: 'destroy' | 'end' | 'stall';
  /** Raw text written after `afterEvents` frames (before `finish`; without `finish` the stream continues). */
  inject?: string;
  /** Remove `event_id` from every forwarded SSE event. */
  stripEventIds?: boolean;
}

export interface FaultProxy {
  baseUrl: string;
  seed: number;
  requests: LoggedRequest[];
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** Requests matching method and path. */
  count(method: string, path?: RegExp): number;
  /** Resolves when the next request matching method and path has arrived (its body read). */
  nextRequest(method: string, path?: RegExp): Promise<LoggedRequest>;
  close(): Promise<void>;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

function stripIds(frame: string): string {
  return frame.replace(/^data:(.*)$/m, (line, data: string) => {
    try {
      const json = JSON.parse(data) as Record<string, unknown>;
      delete json.event_id;
      return `data: ${JSON.stringify(json)}`;
    } catch {
      return line;
    }
  });
}

export async function startFaultProxy(
  target: string,
  options: { seed?: number; port?: number } = {},
): Promise<FaultProxy> {
  const seed = options.seed ?? Number(process.env.PROXY_SEED ?? Date.now() % 1e9);
  const random = mulberry32(seed);
  const requests: LoggedRequest[] = [];
  let faults: Fault[] = [];
  let awaited: { method: string; path: RegExp | undefined; arrived: (r: LoggedRequest) => void }[] = [];
  const targetUrl = new URL(target);

  const take = (method: string, url: string): Fault | undefined => {
    const i = faults.findIndex((f) => (!f.method || f.method === method) && (!f.path || f.path.test(url)));
    if (i < 0) return undefined;
    const f = faults[i] as Fault;
    const left = (f.times ?? 1) - 1;
    if (left <= 0) faults.splice(i, 1);
    else faults[i] = { ...f, times: left };
    return f;
  };

  /** Writes in random pieces, in order, yielding to the event loop between pieces. */
  const writer = (res: http.ServerResponse) => {
    let chain = Promise.resolve();
    const write = (data: Buffer | string) => {
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      chain = chain.then(async () => {
        let at = 0;
        while (at < buf.length && !res.destroyed) {
          const size = 1 + Math.floor(random() * Math.min(48, buf.length - at));
          res.write(buf.subarray(at, at + size));
          at += size;
          await new Promise((r) => setImmediate(r));
        }
      });
    };
    const after = (fn: () => void) => {
      chain = chain.then(fn);
    };
    return { write, after };
  };

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: string, fault?: Fault) => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_HEADERS.has(k)) headers[k] = v;
    if (body) headers['content-length'] = Buffer.byteLength(body);
    let detached = false;
    const upstream = http.request(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: req.method,
        path: targetUrl.pathname.replace(/\/$/, '') + (req.url ?? ''),
        headers,
        agent: false,
      },
      (ures) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(ures.headers)) if (!HOP_HEADERS.has(k)) out[k] = v;
        res.writeHead(ures.statusCode ?? 502, out);
        const w = writer(res);
        const sse = String(ures.headers['content-type'] ?? '').includes('text/event-stream');
        const shaping = sse && fault && (fault.afterEvents !== undefined || fault.stripEventIds);
        if (!shaping) {
          ures.on('data', (c: Buffer) => w.write(c));
          ures.on('end', () => w.after(() => res.end()));
          return;
        }
        let buffer = '';
        let frames = 0;
        let stopped = false;
        const stop = () => {
          stopped = true;
          if (fault.inject) w.write(fault.inject);
          const next = buffer.length > 0 ? buffer : '';
          if (fault.finish) {
            if (next) w.write(next.slice(0, Math.max(1, Math.floor(next.length / 2))));
            detached = true;
            upstream.destroy();
            w.after(() => {
              if (fault.finish === 'destroy') res.socket?.destroy();
              else if (fault.finish === 'end') res.end();
              // 'stall': keep the socket open, send nothing more
            });
          } else {
            stopped = false; // injection only: keep forwarding
          }
        };
        ures.on('error', () => {});
        ures.setEncoding('utf8');
        ures.on('data', (chunk: string) => {
          if (stopped) return;
          buffer += chunk;
          for (;;) {
            const m = /\r?\n\r?\n/.exec(buffer);
            if (!m) break;
            const frame = buffer.slice(0, m.index + m[0].length);
            buffer = buffer.slice(m.index + m[0].length);
            w.write(fault.stripEventIds ? stripIds(frame) : frame);
            frames++;
            if (fault.afterEvents !== undefined && frames === fault.afterEvents) {
              stop();
              if (stopped) return;
            }
          }
        });
        ures.on('end', () => {
          if (stopped) return;
          if (buffer) w.write(buffer);
          w.after(() => res.end());
        });
      },
    );
    upstream.on('error', () => {
      if (!detached) res.destroy();
    });
    res.on('close', () => upstream.destroy());
    upstream.end(body);
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const logged = { method, url, headers: req.headers, body, at: Date.now() };
    requests.push(logged);
    const matching = awaited.filter((w) => w.method === method && (!w.path || w.path.test(url)));
    awaited = awaited.filter((w) => !matching.includes(w));
    for (const w of matching) w.arrived(logged);
    const fault = take(method, url);
    if (fault?.hang) return;
    if (fault?.reset) return void req.socket.destroy();
    if (fault?.respond) {
      const { status, headers = {}, body: text = '', delayMs = 0 } = fault.respond;
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        const w = writer(res);
        w.write(text);
        w.after(() => res.end());
      }, delayMs);
      return;
    }
    forward(req, res, body, fault);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seed,
    requests,
    addFault: (f) => faults.push(f),
    clearFaults: () => {
      faults = [];
    },
    count: (method, path) =>
      requests.filter((r) => r.method === method && (!path || path.test(r.url))).length,
    nextRequest: (method, path) =>
      new Promise((arrived) => {
        awaited.push({ method, path, arrived });
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
