/**
 * Retry behaviour over real loopback HTTP. Request counts are taken at the proxy, so each test fails if the
 * client retries what it must not, or gives up on what it should retry.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, InteractionsClient, InteractionsError, TimeoutError } from '../src/index.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { CREATE, modelFor, startTarget, type TestTarget } from './support/target.ts';

const rateLimited = (headers: Record<string, string>) => ({
  status: 429,
  headers,
  body: JSON.stringify({ error: { code: 'rate_limit_exceeded', message: 'Slow down' } }),
});
const serverError = (status: number, code: string) => ({
  status,
  body: JSON.stringify({ error: { code, message: `${code} happened` } }),
});
const BY_ID = /\/interactions\/[^/?]+$/;

describe('retries', () => {
  let t: TestTarget;
  beforeAll(async () => {
    t = await startTarget();
  });
  afterAll(() => t.close());
  const body = () => ({ model: modelFor(t), input: 'Hello' });
  const posts = () => t.proxy.count('POST', CREATE);

  it('429 with Retry-After (seconds) is retried after the wait, even for create', async () => {
    const client = t.client();
    t.proxy.addFault({ method: 'POST', path: CREATE, respond: rateLimited({ 'retry-after': '1' }) });
    const before = posts();
    const result = await client.create(body());
    expect(result.interaction.status).toBe('completed');
    expect(posts() - before).toBe(2);
    const [first, second] = t.proxy.requests.filter((r) => r.method === 'POST').slice(-2);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeLessThan(3_000);
  });

  it('honours retry-after-ms and an HTTP-date Retry-After', async () => {
    const client = t.client();
    const created = await client.create(body());
    t.proxy.addFault({ method: 'GET', path: BY_ID, respond: rateLimited({ 'retry-after-ms': '400' }) });
    // HTTP dates have second precision: ask for ~3 s, expect at least 1 s after the 400 ms retry.
    const date = new Date(Date.now() + 3_000).toUTCString();
    t.proxy.addFault({ method: 'GET', path: BY_ID, respond: rateLimited({ 'retry-after': date }) });
    const started = Date.now();
    await client.get(created.interaction.id);
    const gets = t.proxy.requests.filter((r) => r.method === 'GET').slice(-3);
    expect(gets).toHaveLength(3);
    expect((gets[1]?.at ?? 0) - (gets[0]?.at ?? 0)).toBeGreaterThanOrEqual(380);
    expect((gets[2]?.at ?? 0) - (gets[1]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('503 then success: create is retried', async () => {
    const client = t.client();
    t.proxy.addFault({ method: 'POST', path: CREATE, respond: serverError(503, 'service_unavailable') });
    const before = posts();
    expect((await client.create(body())).interaction.status).toBe('completed');
    expect(posts() - before).toBe(2);
  });

  it('a create that gets a 500 is NOT retried', async () => {
    const client = t.client({ maxRetries: 3 });
    t.proxy.addFault({ method: 'POST', path: CREATE, respond: serverError(500, 'api_error') });
    const before = posts();
    const error = await client.create(body()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteractionsError);
    expect(error).toMatchObject({ status: 500, code: 'api_error', message: 'api_error happened' });
    expect(posts() - before).toBe(1);
  });

  it('a GET that gets 500s is retried up to maxRetries', async () => {
    const client = t.client({ maxRetries: 2 });
    const created = await client.create(body());
    t.proxy.addFault({ method: 'GET', path: BY_ID, times: 2, respond: serverError(500, 'api_error') });
    const before = t.proxy.count('GET', BY_ID);
    expect((await client.get(created.interaction.id)).interaction.id).toBe(created.interaction.id);
    expect(t.proxy.count('GET', BY_ID) - before).toBe(3);
    t.proxy.addFault({ method: 'GET', path: BY_ID, times: 3, respond: serverError(502, 'api_error') });
    await expect(client.get(created.interaction.id)).rejects.toMatchObject({ status: 502 });
    expect(t.proxy.count('GET', BY_ID) - before).toBe(6);
  });

  it('a create that times out is NOT retried; a GET that times out is', async () => {
    const client = t.client({ timeoutMs: 250 });
    t.proxy.addFault({ method: 'POST', path: CREATE, hang: true });
    const before = posts();
    const started = Date.now();
    const error = await client.create(body()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', name: 'TimeoutError', status: 0 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(posts() - before).toBe(1);

    const created = await client.create(body());
    t.proxy.addFault({ method: 'GET', path: BY_ID, times: 2, hang: true });
    const gets = t.proxy.count('GET', BY_ID);
    expect((await client.get(created.interaction.id)).interaction.status).toBe('completed');
    expect(t.proxy.count('GET', BY_ID) - gets).toBe(3);
  });

  it('a create whose connection is reset after sending is NOT retried; a GET is', async () => {
    const client = t.client();
    t.proxy.addFault({ method: 'POST', path: CREATE, reset: true });
    const before = posts();
    const error = await client.create(body()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'connection_error', phase: 'transfer' });
    expect(posts() - before).toBe(1);

    const created = await client.create(body());
    t.proxy.addFault({ method: 'GET', path: BY_ID, reset: true });
    const gets = t.proxy.count('GET', BY_ID);
    await client.get(created.interaction.id);
    expect(t.proxy.count('GET', BY_ID) - gets).toBe(2);
  });

  it('cancel is retried like create: 503 yes, 500 no', async () => {
    const client = t.client();
    const cancelPath = /\/cancel$/;
    t.proxy.addFault({ method: 'POST', path: cancelPath, respond: serverError(500, 'api_error') });
    await expect(client.cancel('v1_whatever')).rejects.toMatchObject({ status: 500 });
    expect(t.proxy.count('POST', cancelPath)).toBe(1);
    t.proxy.addFault({ method: 'POST', path: cancelPath, respond: serverError(503, 'service_unavailable') });
    t.proxy.addFault({
      method: 'POST',
      path: cancelPath,
      respond: { status: 200, body: JSON.stringify({ id: 'v1_whatever', status: 'cancelled' }) },
    });
    expect((await client.cancel('v1_whatever')).interaction.status).toBe('cancelled');
    expect(t.proxy.count('POST', cancelPath)).toBe(3);
    expect(t.proxy.requests.filter((r) => cancelPath.test(r.url)).every((r) => r.body === '')).toBe(true);
  });

  it('x-should-retry: false and an over-long Retry-After stop retries', async () => {
    const client = t.client();
    t.proxy.addFault({
      method: 'POST',
      path: CREATE,
      respond: { ...serverError(503, 'service_unavailable'), headers: { 'x-should-retry': 'false' } },
    });
    const before = posts();
    await expect(client.create(body())).rejects.toMatchObject({ status: 503 });
    t.proxy.addFault({ method: 'POST', path: CREATE, respond: rateLimited({ 'retry-after': '3600' }) });
    await expect(client.create(body())).rejects.toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(posts() - before).toBe(2);
  });

  it('maxRetries: 0 turns retries off', async () => {
    const client = t.client({ maxRetries: 0 });
    t.proxy.addFault({ method: 'POST', path: CREATE, respond: serverError(503, 'service_unavailable') });
    const before = posts();
    await expect(client.create(body())).rejects.toMatchObject({ status: 503 });
    expect(posts() - before).toBe(1);
  });
});

describe('connection refused', () => {
  async function freePort(): Promise<number> {
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const { port } = s.address() as AddressInfo;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }

  it('is retried for create (nothing was sent), and the retry succeeds once the server is up', async () => {
    const t = await startTarget();
    const port = await freePort();
    const connector = buildConnector({});
    let connects = 0;
    let late: Awaited<ReturnType<typeof startFaultProxy>> | undefined;
    const dispatcher = new Agent({
      connect: (opts, callback) => {
        connects++;
        connector(opts, (err, socket) => {
          if (connects === 1) {
            // The first attempt is refused; bring the server up before the client sees the failure.
            expect(err).toMatchObject({ code: 'ECONNREFUSED' });
            void startFaultProxy(t.baseUrl, { port }).then((p) => {
              late = p;
              callback(err, socket as never);
            });
          } else callback(err, socket as never);
        });
      },
    });
    try {
      const client = new InteractionsClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k', dispatcher });
      const result = await client.create({ model: modelFor(t), input: 'Hello' });
      expect(result.interaction.status).toBe('completed');
      expect(connects).toBe(2);
      expect(late?.count('POST', CREATE)).toBe(1);
    } finally {
      await dispatcher.destroy();
      await late?.close();
      await t.close();
    }
  });

  it('gives up after maxRetries with a ConnectionError of phase connect', async () => {
    const port = await freePort();
    const connector = buildConnector({});
    let connects = 0;
    const dispatcher = new Agent({
      connect: (opts, callback) => {
        connects++;
        connector(opts, callback);
      },
    });
    const client = new InteractionsClient({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 2, dispatcher });
    const error = await client.create({ model: 'm', input: 'x' }).catch((e: unknown) => e);
    await dispatcher.destroy();
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'connection_error', phase: 'connect', status: 0 });
    expect(connects).toBe(3);
  });
});
