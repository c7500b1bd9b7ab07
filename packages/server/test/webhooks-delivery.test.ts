/**
 * Webhook deliveries over loopback HTTP against a real receiver: which events go where (registered webhooks
 * of the same key, or a request's `webhook_config.uris` instead), retries with the same `webhook-id`, a
 * webhook disabled after repeated failures, deliveries that survive a restart (same SQLite file), the outbound
 * address policy, the JWT signature of per-request deliveries checked against the server's JWKS, and the 400s.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { ownerOfKey } from '../src/auth/keys.ts';
import { isoSeconds, newInteractionId } from '../src/runtime/ids.ts';
import { RESTART_ERROR } from '../src/runtime/recovery.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { policyFetch } from '../src/webhooks/outbound-fetch.ts';
import { call, closeAll, startServer, type TestServer } from './helpers/server.ts';
import { type Receiver, signatureHeaders, startReceiver } from './helpers/webhook-receiver.ts';

const KEY = 'key-a';
const OTHER = 'key-b';
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 2_000 };
const receivers: Receiver[] = [];

afterEach(async () => {
  await closeAll();
  for (const r of receivers.splice(0)) await r.close();
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const SCRIPT = {
  rules: [
    { when: { input: 'explode' }, error: { code: 'api_error', message: 'the scripted model failed' } },
    {
      when: { input: 'weather', tools: ['get_weather'] },
      respond: [{ type: 'function_call', name: 'get_weather', arguments: { city: 'Paris' } }],
    },
    { respond: [{ type: 'text', text: 'done' }] },
  ],
};

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  return startServer({
    apiKeys: [KEY, OTHER],
    script: SCRIPT,
    webhooks: { allowHosts: ['127.0.0.1'], retry: FAST_RETRY },
    ...options,
  });
}

const auth = (key = KEY) => ({ 'x-goog-api-key': key });

async function register(s: TestServer, uri: string, events: string[], key = KEY) {
  const reply = await call(`${s.url}/v1beta/webhooks`, {
    headers: auth(key),
    body: { uri, subscribed_events: events },
  });
  expect(reply.status).toBe(200);
  return reply.json as { id: string; new_signing_secret: string };
}

async function background(s: TestServer, body: Record<string, unknown>, key = KEY) {
  const reply = await call(`${s.url}/v1beta/interactions`, {
    headers: auth(key),
    body: { model: 'gemini-3-flash-preview', background: true, ...body },
  });
  expect(reply.status).toBe(200);
  return reply.json as { id: string };
}

const parse = (body: string) => JSON.parse(body) as { type: string; data: Record<string, unknown> };

describe('which events go where', () => {
  it('sends failed (with the error) and requires_action, each to the webhooks subscribed to it', async () => {
    const r = await receiver();
    const s = await server();
    const failedHook = await register(s, `${r.url}/failed`, ['interaction.failed']);
    await register(s, `${r.url}/action`, ['interaction.requires_action']);

    const failing = await background(s, { input: 'explode' });
    const failed = await r.next();
    expect(failed.path).toBe('/failed');
    const event = new Webhook(failedHook.new_signing_secret).verify(failed.body, signatureHeaders(failed));
    expect(event).toMatchObject({
      type: 'interaction.failed',
      version: 'v1',
      data: {
        id: failing.id,
        status: 'failed',
        error_code: 'api_error',
        error_message: 'the scripted model failed',
      },
    });

    const calling = await background(s, {
      input: 'weather in Paris?',
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }],
    });
    const action = await r.next();
    expect(action.path).toBe('/action');
    expect(parse(action.body)).toMatchObject({
      type: 'interaction.requires_action',
      data: { id: calling.id },
    });
    expect(r.deliveries).toHaveLength(2);
  });

  it("fires only the creating key's webhooks, and hides them from other keys", async () => {
    const r = await receiver();
    const s = await server();
    const mine = await register(s, `${r.url}/mine`, ['interaction.completed'], KEY);
    await register(s, `${r.url}/theirs`, ['interaction.completed'], OTHER);

    expect((await call(`${s.url}/v1beta/webhooks/${mine.id}`, { headers: auth(OTHER) })).status).toBe(404);
    const listed = await call(`${s.url}/v1beta/webhooks`, { headers: auth(OTHER) });
    expect(listed.json.webhooks.map((w: { uri: string }) => w.uri)).toEqual([`${r.url}/theirs`]);

    await background(s, { input: 'hello' }, KEY);
    expect((await r.next()).path).toBe('/mine');
    await s.server.webhooks?.whenIdle();
    expect(r.deliveries.map((d) => d.path)).toEqual(['/mine']);
  });

  it('sends nothing for a foreground interaction', async () => {
    const r = await receiver();
    const s = await server();
    await register(s, `${r.url}/hook`, ['interaction.completed']);
    const reply = await call(`${s.url}/v1beta/interactions`, {
      headers: auth(),
      body: { model: 'gemini-3-flash-preview', input: 'hello' },
    });
    expect(reply.json.status).toBe('completed');
    await background(s, { input: 'now in the background' });
    const first = await r.next();
    expect(parse(first.body).data.id).not.toBe(reply.json.id);
  });
});

describe('webhook_config', () => {
  it('sends to its URIs instead of the registered webhooks, with user_metadata, signed as a JWT the JWKS verifies', async () => {
    const registered = await receiver();
    const dynamic = await receiver();
    const s = await server();
    await register(s, `${registered.url}/static`, ['interaction.completed']);

    const created = await background(s, {
      input: 'hello',
      webhook_config: { uris: [`${dynamic.url}/dynamic`], user_metadata: { job_group: 'nightly-eval' } },
    });
    const delivery = await dynamic.next();
    const envelope = parse(delivery.body);
    expect(envelope).toMatchObject({
      type: 'interaction.completed',
      data: { id: created.id, user_metadata: { job_group: 'nightly-eval' } },
    });

    const jwks = await call(`${s.url}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    const { payload, protectedHeader } = await jwtVerify(
      String(delivery.headers['webhook-signature']),
      createLocalJWKSet(jwks.json),
      { audience: `${dynamic.url}/dynamic`, issuer: s.url, algorithms: ['RS256'] },
    );
    expect(protectedHeader.kid).toBe(jwks.json.keys[0].kid);
    expect(payload).toMatchObject({
      type: envelope.type,
      data: envelope.data,
      jti: delivery.headers['webhook-id'],
    });

    await s.server.webhooks?.whenIdle();
    expect(registered.deliveries).toHaveLength(0);
  });

  it('is a 400 without background, or with a URI that cannot receive deliveries', async () => {
    const s = await server();
    const foreground = await call(`${s.url}/v1beta/interactions`, {
      headers: auth(),
      body: {
        model: 'gemini-3-flash-preview',
        input: 'x',
        webhook_config: { uris: ['https://example.com/h'] },
      },
    });
    expect(foreground.status).toBe(400);
    expect(foreground.json.error.message).toContain("'webhook_config' requires 'background': true");

    const metadata = await call(`${s.url}/v1beta/interactions`, {
      headers: auth(),
      body: {
        model: 'gemini-3-flash-preview',
        input: 'x',
        background: true,
        webhook_config: { uris: ['http://169.254.169.254/latest'] },
      },
    });
    expect(metadata.status).toBe(400);
    expect(metadata.json.error.message).toContain("'webhook_config.uris[0]' cannot receive webhooks");
  });
});

describe('the resource rejects bad input with the field named', () => {
  it.each([
    [{ subscribed_events: ['interaction.completed'] }, "'uri'"],
    [{ uri: 'https://example.com/h', subscribed_events: [] }, "'subscribed_events'"],
    [{ uri: 'ftp://example.com/h', subscribed_events: ['interaction.completed'] }, 'only http and https'],
    [{ uri: 'http://127.0.0.2/h', subscribed_events: ['interaction.completed'] }, 'loopback'],
    [{ uri: 'https://example.com/h', subscribed_events: ['x'], colour: 'red' }, "unknown field 'colour'"],
  ])('%j → 400 mentioning %s', async (body, words) => {
    const s = await server();
    const reply = await call(`${s.url}/v1beta/webhooks`, { headers: auth(), body });
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe('invalid_request');
    expect(reply.json.error.message).toContain(words);
  });

  it('refuses a server-only state and an unknown id', async () => {
    const s = await server();
    const hook = await register(s, 'https://example.com/h', ['interaction.completed']);
    const patch = await call(`${s.url}/v1beta/webhooks/${hook.id}`, {
      method: 'PATCH',
      headers: auth(),
      body: { state: 'disabled_due_to_failed_deliveries' },
    });
    expect(patch.status).toBe(400);
    expect(patch.json.error.message).toContain("'state'");
    const missing = await call(`${s.url}/v1beta/webhooks/wh_nope:ping`, { method: 'POST', headers: auth() });
    expect(missing.status).toBe(404);
    const unauthenticated = await call(`${s.url}/v1beta/webhooks`);
    expect(unauthenticated.status).toBe(401);
  });
});

describe('retries, disabling, restarts', () => {
  it('retries a failed delivery with the same webhook-id until the receiver takes it', async () => {
    const r = await receiver();
    r.answer(500, 503);
    const s = await server();
    const hook = await register(s, `${r.url}/hook`, ['interaction.completed']);
    await background(s, { input: 'hello' });
    const first = await r.next();
    const second = await r.next();
    const third = await r.next();
    expect([first.status, second.status, third.status]).toEqual([500, 503, 200]);
    const ids = new Set([first, second, third].map((d) => d.headers['webhook-id']));
    expect(ids.size).toBe(1);
    new Webhook(hook.new_signing_secret).verify(third.body, signatureHeaders(third));
    await s.server.webhooks?.whenIdle();
    expect(r.deliveries).toHaveLength(3);
  });

  it('disables a webhook whose deliveries keep failing, and enabling it again resets it', async () => {
    const r = await receiver();
    r.answer(500, 500, 500, 500);
    const s = await server({
      webhooks: { allowHosts: ['127.0.0.1'], retry: { ...FAST_RETRY, maxAttempts: 2, disableAfter: 2 } },
    });
    const hook = await register(s, `${r.url}/hook`, ['interaction.completed']);
    await background(s, { input: 'one' });
    await r.next();
    await r.next();
    await s.server.webhooks?.whenIdle();
    expect((await call(`${s.url}/v1beta/webhooks/${hook.id}`, { headers: auth() })).json.state).toBe(
      'enabled',
    );

    await background(s, { input: 'two' });
    await r.next();
    await r.next();
    await s.server.webhooks?.whenIdle();
    const disabled = await call(`${s.url}/v1beta/webhooks/${hook.id}`, { headers: auth() });
    expect(disabled.json.state).toBe('disabled_due_to_failed_deliveries');

    // Disabled: nothing more is sent (a second webhook shows when the event was handled).
    const sentinel = await receiver();
    await register(s, `${sentinel.url}/sentinel`, ['interaction.completed']);
    await background(s, { input: 'three' });
    await sentinel.next();
    await s.server.webhooks?.whenIdle();
    expect(r.deliveries).toHaveLength(4);

    const enabled = await call(`${s.url}/v1beta/webhooks/${hook.id}`, {
      method: 'PATCH',
      headers: auth(),
      body: { state: 'enabled' },
    });
    expect(enabled.json.state).toBe('enabled');
    await background(s, { input: 'four' });
    expect((await r.next()).status).toBe(200);
  });

  it('keeps a delivery queued across a restart and sends it from the next process', async () => {
    const r = await receiver();
    r.answer(500);
    const first = await server({
      // One attempt now, the next one long after this process is gone.
      webhooks: {
        allowHosts: ['127.0.0.1'],
        retry: { ...FAST_RETRY, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      },
    });
    const hook = await register(first, `${r.url}/hook`, ['interaction.completed']);
    const created = await background(first, { input: 'hello' });
    expect((await r.next()).status).toBe(500);
    await first.server.webhooks?.whenIdle();
    const { dbPath } = first;
    await first.server.close();

    // Due at once in the second process (its clock is moved past the backoff).
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(dbPath);
    expect(db.prepare('SELECT attempts FROM webhook_deliveries').all()).toEqual([{ attempts: 1 }]);
    db.exec('UPDATE webhook_deliveries SET next_attempt_at = 0');
    db.close();

    const second = await server({ dbPath });
    const delivered = await r.next();
    expect(delivered.status).toBe(200);
    expect(delivered.headers['webhook-id']).toBe(r.deliveries[0]?.headers['webhook-id']);
    const event = new Webhook(hook.new_signing_secret).verify(delivered.body, signatureHeaders(delivered));
    expect(event).toMatchObject({ type: 'interaction.completed', data: { id: created.id } });
    await second.server.webhooks?.whenIdle();
  });

  it('sends interaction.failed for a queued run a crash cut short, once the next start fails it', async () => {
    const r = await receiver();
    const first = await server();
    const hook = await register(first, `${r.url}/hook`, ['interaction.failed']);
    const { dbPath } = first;
    await first.server.close();
    // What a process killed while a background run waited for its slot leaves behind: the row, `queued`.
    const crashed = SqliteStore.open({ path: dbPath });
    const now = Date.now();
    const id = newInteractionId(now);
    await crashed.createInteraction({
      id,
      owner: ownerOfKey(KEY),
      status: 'queued',
      model: 'gemini-3-flash-preview',
      created: isoSeconds(now),
      updated: isoSeconds(now),
      request: { model: 'gemini-3-flash-preview', input: [], background: true },
      output: [],
      background: true,
      expiresAt: now + 60_000,
    });
    await crashed.close();

    const second = await server({ dbPath });
    const delivered = await r.next();
    const event = new Webhook(hook.new_signing_secret).verify(delivered.body, signatureHeaders(delivered));
    expect(event).toMatchObject({ type: 'interaction.failed', data: { id, status: 'failed' } });
    const got = await call(`${second.url}/v1beta/interactions/${id}`, { headers: auth() });
    expect(got.json.status).toBe('failed');
    expect(JSON.stringify(got.json)).toContain(RESTART_ERROR.message);
    await second.server.webhooks?.whenIdle();
  });

  it('sends through the outbound address policy: a loopback receiver is refused unless allowed', async () => {
    const r = await receiver();
    const s = await server({ webhooks: { retry: { ...FAST_RETRY, maxAttempts: 1 } } });
    const reply = await call(`${s.url}/v1beta/webhooks`, {
      headers: auth(),
      body: { uri: `${r.url}/hook`, subscribed_events: ['interaction.completed'] },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toContain('127.0.0.1 is a loopback address');
  });

  it('checks the address a name resolves to when it connects (a public-looking name on loopback is refused)', async () => {
    const r = await receiver();
    const sentinel = await receiver();
    const port = new URL(r.url).port;
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const s = await server({
      webhooks: {
        // The literal 127.0.0.1 (the sentinel) is allowed; the name is judged by what it resolves to.
        allowHosts: ['127.0.0.1'],
        fetch: policyFetch({ resolve, allowHosts: ['127.0.0.1'] }),
        retry: { ...FAST_RETRY, maxAttempts: 1 },
      },
    });
    await register(s, `http://receiver.example:${port}/hook`, ['interaction.completed']);
    await register(s, `${sentinel.url}/sentinel`, ['interaction.completed']);
    await background(s, { input: 'hello' });
    await sentinel.next();
    await s.server.webhooks?.whenIdle();
    expect(r.deliveries).toHaveLength(0);
    expect(s.logs.join('')).toContain('receiver.example resolves to 127.0.0.1 is a loopback address');
  });
});
