/** API keys: three ways to present one, 401 without, and each key sees only its own interactions and files. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInteractionsServer } from '../src/server.ts';
import { call, closeAll, startServer, type TestServer, textScript } from './helpers/server.ts';

let t: TestServer;
const A = { 'x-goog-api-key': 'key-a' };
const B = { 'x-goog-api-key': 'key-b' };

beforeAll(async () => {
  t = await startServer({ apiKeys: ['key-a', 'key-b'], script: textScript('hi') });
});
afterAll(closeAll);

describe('authentication', () => {
  it('401 authentication without a key or with a wrong one', async () => {
    for (const headers of [{}, { 'x-goog-api-key': 'wrong' }, { authorization: 'Bearer wrong' }] as Record<
      string,
      string
    >[]) {
      const reply = await call(`${t.url}/v1beta/interactions`, { body: { model: 'm', input: 'x' }, headers });
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ error: { code: 'authentication', message: expect.any(String) } });
    }
    expect((await call(`${t.url}/v1beta/interactions/v1_x`)).status).toBe(401);
    expect((await call(`${t.url}/v1beta/files`)).status).toBe(401);
  });

  it('accepts x-goog-api-key, ?key= and Authorization: Bearer', async () => {
    const a = await call(`${t.url}/v1beta/interactions`, { body: { model: 'm', input: 'x' }, headers: A });
    expect(a.status).toBe(200);
    expect((await call(`${t.url}/v1beta/interactions/${a.json.id}?key=key-a`)).status).toBe(200);
    expect(
      (
        await call(`${t.url}/v1beta/interactions/${a.json.id}`, {
          headers: { authorization: 'Bearer key-a' },
        })
      ).status,
    ).toBe(200);
  });

  it("another key gets 404 for A's interaction on every route", async () => {
    const a = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'x', background: true },
      headers: A,
    });
    const base = `${t.url}/v1beta/interactions/${a.json.id}`;
    expect((await call(base, { headers: B })).status).toBe(404);
    expect((await call(`${base}?stream=true`, { headers: B })).status).toBe(404);
    expect((await call(`${base}/cancel`, { method: 'POST', headers: B })).status).toBe(404);
    expect((await call(base, { method: 'DELETE', headers: B })).status).toBe(404);
    expect((await call(base, { headers: A })).status).toBe(200);
  });

  it('the health check needs no key', async () => {
    expect((await call(`${t.url}/healthz`)).status).toBe(200);
  });
});

describe('open mode', () => {
  it('refuses to bind a non-loopback host without keys', async () => {
    const server = createInteractionsServer({ host: '0.0.0.0', port: 0, dbPath: ':memory:' });
    await expect(server.listen()).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0 without API keys/);
    await server.close();
  });

  it('on loopback, runs without keys (any key presented is ignored)', async () => {
    const open = await startServer({ script: textScript('hi') });
    expect((await call(`${open.url}/v1beta/interactions`, { body: { model: 'm', input: 'x' } })).status).toBe(
      200,
    );
    expect(
      (await call(`${open.url}/v1beta/interactions`, { body: { model: 'm', input: 'x' }, headers: A }))
        .status,
    ).toBe(200);
  });
});
