/**
 * A webhook receiver on 127.0.0.1: records every POST (headers and the raw body, as a verifier needs it) and
 * answers with the status the test chose. `next()` awaits the next delivery, so tests wait for the event
 * itself, never for a fixed time.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status this receiver answered. */
  status: number;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** The next delivery not yet taken by `next()` (resolves at once when one is already there). */
  next(): Promise<Delivery>;
  /** Status of the following answers, one per request; then 200. */
  answer(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const statuses: number[] = [];
  const waiting: ((d: Delivery) => void)[] = [];
  let taken = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      const delivery: Delivery = {
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
      };
      deliveries.push(delivery);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{}');
      const wake = waiting.shift();
      if (wake) {
        taken++;
        wake(delivery);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    next() {
      if (taken < deliveries.length) return Promise.resolve(deliveries[taken++] as Delivery);
      return new Promise((resolve) => waiting.push(resolve));
    },
    answer(...next: number[]) {
      statuses.push(...next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The Standard Webhooks headers of a delivery, as a plain record (what `standardwebhooks` verifies). */
export function signatureHeaders(d: Delivery): Record<string, string> {
  return {
    'webhook-id': String(d.headers['webhook-id']),
    'webhook-timestamp': String(d.headers['webhook-timestamp']),
    'webhook-signature': String(d.headers['webhook-signature']),
  };
}
