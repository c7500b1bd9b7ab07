/**
 * Unary calls read the whole response body inside the attempt (collect.ts, undici's `dispatch`): bodies in
 * pieces, cut, stalled or queued behind a busy connection, against a small server of their own.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, ConnectionError, InteractionsClient, TimeoutError } from '../src/index.ts';

const INTERACTION = JSON.stringify({ id: 'v1_done', status: 'completed', steps: [] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Behaviours by path; `/interactions/cut-once` is cut on its first request only. */
function startServer() {
  const hits = new Map<string, number>();
  const awaited = new Map<string, (() => void)[]>();
  const open = new Set<http.ServerResponse>();
  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? '').replace(/^\/v1/, '');
    const hit = (hits.get(`${req.method} ${path}`) ?? 0) + 1;
    hits.set(`${req.method} ${path}`, hit);
    for (const arrived of awaited.get(`${req.method} ${path}`) ?? []) arrived();
    awaited.delete(`${req.method} ${path}`);
    for await (const _ of req); // read the request body
    const json = { 'content-type': 'application/json' };
    if (path === '/interactions/pieces') {
      // A byte-order mark, then the body a few bytes at a time.
      res.writeHead(200, json);
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(INTERACTION)]);
      for (let i = 0; i < bytes.length; i += 7) {
        res.write(bytes.subarray(i, i + 7));
        await sleep(1);
      }
      res.end();
    } else if (path === '/interactions/cut-once' || (path === '/interactions' && req.method === 'POST')) {
      if (hit > 1 && path !== '/interactions') return void res.writeHead(200, json).end(INTERACTION);
      res.writeHead(200, { ...json, 'content-length': String(INTERACTION.length) });
      res.write(INTERACTION.slice(0, 10));
      setTimeout(() => res.socket?.destroy(), 20);
    } else if (path === '/interactions/stall' || path === '/interactions/hang') {
      if (path === '/interactions/stall') res.writeHead(200, json).write(INTERACTION.slice(0, 10));
      open.add(res); // never finished
    } else if (path === '/interactions/not-json') {
      res.writeHead(200, json).end('<html>oops</html>');
    } else {
      res.writeHead(200, json).end(INTERACTION);
    }
  });
  return {
    hits: (key: string) => hits.get(key) ?? 0,
    /** Resolves when the next request `key` (`METHOD /path`) arrives. */
    nextHit: (key: string) =>
      new Promise<void>((resolve) => awaited.set(key, [...(awaited.get(key) ?? []), resolve])),
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    close: async () => {
      for (const res of open) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('unary bodies', () => {
  const server = startServer();
  let baseUrl = '';
  const agents: Agent[] = [];
  const client = (options: ConstructorParameters<typeof InteractionsClient>[0] = {}) => {
    const dispatcher = new Agent({ keepAliveTimeout: 1_000 });
    agents.push(dispatcher);
    return new InteractionsClient({ baseUrl, apiKey: 'k', dispatcher, ...options });
  };
  beforeAll(async () => {
    baseUrl = await server.listen();
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.destroy()));
    await server.close();
  });

  it('a body that comes in pieces after a byte-order mark is read whole', async () => {
    const { interaction, raw } = await client().get('pieces');
    expect(interaction.id).toBe('v1_done');
    expect(raw).toEqual(JSON.parse(INTERACTION));
  });

  it('a body cut half-way is a connection failure: retried for a get, not for a create', async () => {
    const { interaction } = await client().get('cut-once');
    expect(interaction.id).toBe('v1_done');
    expect(server.hits('GET /interactions/cut-once')).toBe(2);

    const error = await client()
      .create({ model: 'm', input: 'hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'connection_error', phase: 'transfer' });
    expect(server.hits('POST /interactions')).toBe(1);
  });

  it('the timeout covers the body: a body that stalls after its headers times out, naming the request', async () => {
    const error = await client({ timeoutMs: 200, maxRetries: 0 })
      .get('stall')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('GET /v1/interactions/stall timed out after 200 ms');
  });

  it('a 2xx body that is not JSON is a typed api_error, not retried', async () => {
    const error = await client()
      .get('not-json')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'api_error', status: 200 });
    expect((error as Error).message).toContain('Response is not JSON: <html>oops</html>');
    expect(server.hits('GET /interactions/not-json')).toBe(1);
  });

  describe('a call queued behind a busy connection', () => {
    // One connection, taken by a request that never ends: the next call waits in undici's queue.
    const busy = () => {
      const dispatcher = new Agent({ connections: 1, pipelining: 1 });
      agents.push(dispatcher);
      const queued = new InteractionsClient({ baseUrl, apiKey: 'k', dispatcher, maxRetries: 0 });
      const busyArrived = server.nextHit('GET /interactions/hang');
      void queued.get('hang').catch(() => {});
      return { queued, busyArrived };
    };

    it('rejects when aborted, and is never sent', async () => {
      const { queued, busyArrived } = busy();
      await busyArrived;
      const ac = new AbortController();
      const call = queued.get('v1_queued', { signal: ac.signal });
      ac.abort(); // the call waits in undici's queue: the connection is taken
      expect(await call.catch((e: unknown) => e)).toBeInstanceOf(AbortedError);
      expect(server.hits('GET /interactions/v1_queued')).toBe(0);
    });

    it('times out while still queued', async () => {
      const { queued, busyArrived } = busy();
      await busyArrived;
      const error = await queued.get('v1_queued2', { timeoutMs: 150 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toBe('GET /v1/interactions/v1_queued2 timed out after 150 ms');
      expect(server.hits('GET /interactions/v1_queued2')).toBe(0);
    });
  });
});
