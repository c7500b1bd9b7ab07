/** Every route over real HTTP: status codes, envelopes, versions, Vertex prefix, limits, bad bodies. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAll, events, startServer, type TestServer, textScript } from './helpers/server.ts';

let t: TestServer;
const STEPS = { 'api-revision': '2026-05-20' };
const LEGACY = { 'api-revision': '2026-05-07' };

beforeAll(async () => {
  t = await startServer({ script: textScript('Hello there, friend.'), bodyLimit: 64 * 1024 });
});
afterAll(closeAll);

const create = (body: unknown, headers: Record<string, string> = STEPS, path = '/v1beta/interactions') =>
  call(`${t.url}${path}`, { body, headers });

function expectEnvelope(
  reply: { status: number; json: unknown; headers: Headers },
  status: number,
  code: string,
) {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  expect(reply.json).toEqual({ error: { code, message: expect.any(String) } });
}

describe('interactions routes', () => {
  it('POST creates, GET reads, DELETE removes (200 {}), then GET is 404', async () => {
    const created = await create({ model: 'gemini-3-flash-preview', input: 'Hi' });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ object: 'interaction', status: 'completed' });
    expect(created.json.id).toMatch(/^v1_[A-Za-z0-9_-]{20,}$/);
    expect(created.json.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const got = await call(`${t.url}/v1beta/interactions/${created.json.id}`, { headers: STEPS });
    expect(got.status).toBe(200);
    expect(got.json.id).toBe(created.json.id);
    const del = await call(`${t.url}/v1beta/interactions/${created.json.id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(del.json).toEqual({});
    expectEnvelope(await call(`${t.url}/v1beta/interactions/${created.json.id}`), 404, 'not_found');
    expectEnvelope(
      await call(`${t.url}/v1beta/interactions/${created.json.id}`, { method: 'DELETE' }),
      404,
      'not_found',
    );
  });

  it.each(['v1beta', 'v1', 'v1alpha'])('serves /%s/interactions', async (version) => {
    const created = await create({ model: 'm', input: 'Hi' }, STEPS, `/${version}/interactions`);
    expect(created.status).toBe(200);
    const got = await call(`${t.url}/${version}/interactions/${created.json.id}`);
    expect(got.json.status).toBe('completed');
  });

  it('serves the Vertex prefix projects/:p/locations/:l/', async () => {
    const base = `${t.url}/v1beta1/projects/my-proj/locations/us-central1/interactions`;
    const created = await call(base, { body: { model: 'm', input: 'Hi' } });
    expect(created.status).toBe(200);
    expect((await call(`${base}/${created.json.id}`)).json.id).toBe(created.json.id);
  });

  it('GET accepts stream=false and include_input, ignores alt=sse', async () => {
    const created = await create({ model: 'm', input: 'Hi' }, LEGACY);
    const id = created.json.id;
    const plain = await call(`${t.url}/v1beta/interactions/${id}?stream=false&alt=sse`, { headers: LEGACY });
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(plain.json.input).toBeUndefined();
    const withInput = await call(`${t.url}/v1beta/interactions/${id}?include_input=true`, {
      headers: LEGACY,
    });
    expect(withInput.json.input).toBeDefined();
    expectEnvelope(await call(`${t.url}/v1beta/interactions/${id}?stream=maybe`), 400, 'invalid_request');
  });

  it('cancel of a finished interaction is 400 failed_precondition; of an unknown one 404', async () => {
    const created = await create({ model: 'm', input: 'Hi' });
    const reply = await call(`${t.url}/v1beta/interactions/${created.json.id}/cancel`, { method: 'POST' });
    expectEnvelope(reply, 400, 'failed_precondition');
    expect(reply.json.error.message).toMatch(/background/);
    expectEnvelope(
      await call(`${t.url}/v1beta/interactions/v1_nope/cancel`, { method: 'POST' }),
      404,
      'not_found',
    );
  });

  it('health check', async () => {
    const reply = await call(`${t.url}/healthz`);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ok' });
  });
});

describe('edge errors', () => {
  it('unknown route → 404 not_found', async () => {
    expectEnvelope(await call(`${t.url}/v2/interactions`), 404, 'not_found');
    expectEnvelope(await call(`${t.url}/nothing/here`), 404, 'not_found');
    expectEnvelope(await call(`${t.url}/v1beta/interactions/a/b/c`), 404, 'not_found');
  });

  it('wrong method → 405 with Allow', async () => {
    const reply = await call(`${t.url}/v1beta/interactions`, { method: 'GET' });
    expectEnvelope(reply, 405, 'invalid_request');
    expect(reply.headers.get('allow')).toBe('POST');
    const put = await call(`${t.url}/v1beta/interactions/v1_x`, { method: 'PUT', raw: '{}' });
    expectEnvelope(put, 405, 'invalid_request');
    expect(put.headers.get('allow')).toBe('GET, DELETE');
  });

  it('body over the limit → 413 invalid_request', async () => {
    const reply = await create({ model: 'm', input: 'x'.repeat(70 * 1024) });
    expectEnvelope(reply, 413, 'invalid_request');
    expect(reply.json.error.message).toMatch(/limit/);
  });

  it('invalid JSON → 400 naming the problem', async () => {
    const reply = await call(`${t.url}/v1beta/interactions`, {
      raw: '{"model": "m", "input": ',
      headers: { 'content-type': 'application/json' },
    });
    expectEnvelope(reply, 400, 'invalid_request');
    expect(reply.json.error.message).toMatch(/JSON/);
    expectEnvelope(
      await call(`${t.url}/v1beta/interactions`, { raw: '', method: 'POST' }),
      400,
      'invalid_request',
    );
    expectEnvelope(await call(`${t.url}/v1beta/interactions`, { raw: '[1,2]' }), 400, 'invalid_request');
  });

  it('schema errors name the field', async () => {
    const reply = await create({ model: 'm', input: 'Hi', tools: [{ type: 'invalid_tool_type_xyz' }] });
    expectEnvelope(reply, 400, 'invalid_request');
    expect(reply.json.error.message).toContain('tools[0]');
    const noInput = await create({ model: 'm' });
    expectEnvelope(noInput, 400, 'invalid_request');
    expect(noInput.json.error.message).toContain('input');
  });

  it('an error before a stream starts is JSON even with stream:true', async () => {
    const reply = await create({ model: 'm', stream: true, input: 5 });
    expectEnvelope(reply, 400, 'invalid_request');
  });

  it('a provider failure on a unary create is the error envelope with its status; the stored row is failed', async () => {
    const failing = await startServer({
      script: { rules: [{ error: { code: 'model_not_found', message: 'no such model' } }] },
    });
    const reply = await call(`${failing.url}/v1beta/interactions`, { body: { model: 'nope', input: 'Hi' } });
    expectEnvelope(reply, 404, 'model_not_found');
    const streamed = await call(`${failing.url}/v1beta/interactions`, {
      body: { model: 'nope', input: 'Hi', stream: true },
    });
    const evs = events(streamed.text);
    expect(evs.map((e) => e.event_type)).toEqual([
      'interaction.created',
      'interaction.status_update',
      'error',
      'interaction.status_update',
      'interaction.completed',
    ]);
    expect(evs[2].error).toEqual({ code: 'model_not_found', message: 'no such model' });
    const got = await call(`${failing.url}/v1beta/interactions/${evs[0].interaction.id}`);
    expect(got.json.status).toBe('failed');
    expect(got.json.errors).toEqual([{ code: 'model_not_found', message: 'no such model' }]);
  });
});
