/**
 * A FAKE model upstream for the provider conformance kit: a local HTTP server that answers each request with
 * the next response of a fixture — a wire transcript taken from the provider's published documentation (each
 * fixture file names its source). It speaks whatever the fixture holds (SSE frames with or without `event:`
 * lines, JSON error bodies, headers), so any provider's fixtures plug in. It records every request body and
 * whether the client hung up before the response ended.
 *
 * Response kinds: `{status, headers, events}` (SSE frames, `data` a JSON value or the string `[DONE]`),
 * `{status, headers, body}` (a JSON error body), `{reset: true}` (the socket is destroyed before any byte),
 * and on an SSE response `then: "stall" | "hold"`: after the events, stop sending but keep the connection open
 * (`stall`: until the client gives up; `hold`: likewise, for cancel tests).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SseFrame {
  event?: string;
  data: unknown;
}

export type FixtureResponse =
  | { reset: true }
  | { status: number; headers?: Record<string, string>; body: unknown }
  | { status?: number; headers?: Record<string, string>; events: SseFrame[]; then?: 'stall' | 'hold' };

export interface Fixture {
  /** The documentation page the transcript comes from. */
  source: string | string[];
  note?: string;
  /** One per request, in order; the last one answers any further request. */
  responses: FixtureResponse[];
}

export function loadFixture(dir: string, name: string): Fixture {
  return JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8')) as Fixture;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** Resolves when the client closed the connection before the response was complete (an abort). */
  aborted: Promise<void>;
  /** Resolves once the response's events (before any stall or hold) have been written. */
  sent: Promise<void>;
}

export interface ReplayUpstream {
  /** e.g. `http://127.0.0.1:PORT/v1` */
  url: string;
  requests: RecordedRequest[];
  /** The fixture answering the next requests (from the first response again). */
  use(fixture: Fixture): void;
  /** Resolves with the `n`th request (0-based) once it has arrived. */
  request(n: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export async function startReplayUpstream(): Promise<ReplayUpstream> {
  let fixture: Fixture = { source: 'none', responses: [{ status: 500, body: { error: 'no fixture' } }] };
  let served = 0;
  const requests: RecordedRequest[] = [];
  const waiters = new Map<number, (r: RecordedRequest) => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const response = fixture.responses[Math.min(served, fixture.responses.length - 1)]!;
      served += 1;
      let onAbort = (): void => {};
      let onSent = (): void => {};
      const record: RecordedRequest = {
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
        aborted: new Promise((resolve) => {
          onAbort = resolve;
        }),
        sent: new Promise((resolve) => {
          onSent = resolve;
        }),
      };
      res.on('close', () => {
        if (!res.writableFinished) onAbort();
      });
      requests.push(record);
      waiters.get(requests.length - 1)?.(record);
      answer(response, req, res, onSent);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    use(next) {
      fixture = next;
      served = 0;
    },
    request(n) {
      const have = requests[n];
      if (have) return Promise.resolve(have);
      return new Promise((resolve) => waiters.set(n, resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(
  response: FixtureResponse,
  req: IncomingMessage,
  res: ServerResponse,
  sent: () => void,
): void {
  if ('reset' in response) {
    req.socket.destroy();
    sent();
    return;
  }
  if ('body' in response) {
    res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
    res.end(JSON.stringify(response.body));
    sent();
    return;
  }
  res.writeHead(response.status ?? 200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    ...response.headers,
  });
  for (const frame of response.events) {
    const data = typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data);
    res.write(`${frame.event ? `event: ${frame.event}\n` : ''}data: ${data}\n\n`);
  }
  sent();
  if (!response.then) res.end();
}
