/**
 * A round-robin HTTP load balancer in front of several `interplay serve` replicas, for local use and tests
 * (production puts nginx, HAProxy or a cloud load balancer there: docs/deploy.md). Each request goes to the
 * next replica in turn; bodies and responses stream through unbuffered, so SSE streams flow as they are
 * written; a replica that cannot be reached answers 503 in the Interactions error envelope.
 *
 * @example
 * ```ts
 * const proxy = await startRoundRobinProxy(['http://127.0.0.1:8801', 'http://127.0.0.1:8802']);
 * // POST `${proxy.url}/v1beta/interactions` … lands on 8801, the next request on 8802, …
 * await proxy.close();
 * ```
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** How many requests each replica got, in the order of `targets`. */
  readonly counts: readonly number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(
  targets: readonly string[],
  options: { port?: number; host?: string } = {},
): Promise<RoundRobinProxy> {
  if (targets.length === 0) throw new TypeError('the proxy needs at least one target');
  const upstreams = targets.map((t) => new URL(t));
  const counts = targets.map(() => 0);
  let next = 0;

  const server = createServer((req, res) => {
    const i = next;
    next = (next + 1) % upstreams.length;
    counts[i] = (counts[i] ?? 0) + 1;
    forward(req, res, upstreams[i] as URL);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(req: IncomingMessage, res: ServerResponse, target: URL): void {
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { code: 'service_unavailable', message: `replica ${target.host} is not reachable` },
      }),
    );
  });
  // The client went away (a stream closed): stop the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
