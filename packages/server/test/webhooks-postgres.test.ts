/**
 * Webhooks on the Postgres store, which several replicas share: claims keep two replicas from sending one
 * delivery at once (and a stopped replica's claim lapses for another to send it), and over loopback HTTP a
 * webhook registered through one replica fires for a run on another, signed as the receiver expects.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { ownerOfKey } from '../src/auth/keys.ts';
import { isoSeconds } from '../src/runtime/ids.ts';
import { PostgresStore } from '../src/store/postgres-store.ts';
import { newSigningSecret } from '../src/webhooks/secrets.ts';
import type { DeliveryRecord } from '../src/webhooks/store.ts';
import { dropSchemas, newSchemaName, requirePostgres, schemaUrl } from './helpers/postgres.ts';
import { call, closeAll, manyWords, startServer, type TestServer } from './helpers/server.ts';
import { type Receiver, signatureHeaders, startReceiver } from './helpers/webhook-receiver.ts';

const KEY = 'key-a';
const auth = { 'x-goog-api-key': KEY };
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 2_000 };
const SCRIPT = { rules: [{ respond: [{ type: 'text', text: 'done' }] }] };

const stores: PostgresStore[] = [];
const receivers: Receiver[] = [];
const schemas: string[] = [];

afterEach(async () => {
  await closeAll();
  for (const store of stores.splice(0)) await store.close();
  for (const r of receivers.splice(0)) await r.close();
  await dropSchemas(schemas.splice(0));
});

async function newSchema(): Promise<string> {
  await requirePostgres();
  const schema = newSchemaName();
  schemas.push(schema);
  return schema;
}

async function openStore(schema: string): Promise<PostgresStore> {
  const store = await PostgresStore.open({ url: schemaUrl(schema), poolSize: 4 });
  stores.push(store);
  return store;
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

function replica(schema: string, options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  return startServer({
    postgresUrl: schemaUrl(schema),
    apiKeys: [KEY],
    script: SCRIPT,
    webhooks: { allowHosts: ['127.0.0.1'], retry: FAST_RETRY },
    ...options,
  });
}

function delivery(id: string, nextAttemptAt: number, over: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    id,
    owner: null,
    uri: `https://example.com/${id}`,
    body: '{}',
    attempts: 0,
    nextAttemptAt,
    createdAt: 0,
    ...over,
  };
}

describe('claims on a shared queue', () => {
  it('never gives one delivery to two replicas asking at the same time', async () => {
    const schema = await newSchema();
    const [a, b] = [(await openStore(schema)).webhookStore(), (await openStore(schema)).webhookStore()];
    const ids = Array.from({ length: 400 }, (_, i) => `msg_${String(i).padStart(3, '0')}`);
    await a.addDeliveries(ids.map((id, i) => delivery(id, i)));

    const drain = async (store: typeof a) => {
      const got: string[] = [];
      for (;;) {
        const due = await store.dueDeliveries(1_000, 5);
        if (due.length === 0) return got;
        got.push(...due.map((d) => d.id));
      }
    };
    const [fromA, fromB] = await Promise.all([drain(a), drain(b)]);
    expect(fromA.filter((id) => fromB.includes(id))).toEqual([]);
    expect([...fromA, ...fromB].sort()).toEqual(ids);
    // Both asked while the other was claiming: each got a share.
    expect(fromA.length).toBeGreaterThan(0);
    expect(fromB.length).toBeGreaterThan(0);
  });

  it('makes a claimed delivery due again, for any replica, once the claim lapses', async () => {
    const schema = await newSchema();
    const stopped = (await openStore(schema)).webhookStore({ claimMs: 1_000 });
    const live = (await openStore(schema)).webhookStore({ claimMs: 1_000 });
    await stopped.addDeliveries([delivery('msg_orphan', 100), delivery('msg_retried', 100)]);

    expect((await stopped.dueDeliveries(100, 10)).map((d) => d.id)).toEqual(['msg_orphan', 'msg_retried']);
    expect(await live.dueDeliveries(500, 10)).toEqual([]);
    expect(await live.nextDueAt()).toBe(1_100);
    // A rescheduled delivery is due when the retry says, claim or not.
    await stopped.rescheduleDelivery('msg_retried', 1, 600, 'the receiver answered 503');
    expect(await live.dueDeliveries(600, 10)).toEqual([
      delivery('msg_retried', 600, { attempts: 1, lastError: 'the receiver answered 503' }),
    ]);
    // Returned as due when the claim lapsed.
    expect(await live.dueDeliveries(1_100, 10)).toEqual([delivery('msg_orphan', 1_100)]);
  });

  it('refuses a claim or poll interval that is not a positive number of milliseconds', async () => {
    const store = await openStore(await newSchema());
    expect(() => store.webhookStore({ claimMs: 0 })).toThrow(/claimMs must be a positive number/);
    expect(() => store.webhookStore({ pollIntervalMs: Number.NaN })).toThrow(/pollIntervalMs/);
  });
});

describe('a server on Postgres', () => {
  it('fires a webhook registered on one replica for a run on another, signed with its secret', async () => {
    const schema = await newSchema();
    const r = await receiver();
    const a = await replica(schema);
    const b = await replica(schema);

    const registered = await call(`${a.url}/v1beta/webhooks`, {
      headers: auth,
      body: { uri: `${r.url}/hook`, subscribed_events: ['interaction.completed'] },
    });
    expect(registered.status).toBe(200);
    const { id, new_signing_secret: secret } = registered.json as { id: string; new_signing_secret: string };
    const seen = await call(`${b.url}/v1beta/webhooks/${id}`, { headers: auth });
    expect(seen.status).toBe(200);
    expect(seen.json).toMatchObject({ id, uri: `${r.url}/hook`, state: 'enabled' });

    const run = await call(`${b.url}/v1beta/interactions`, {
      headers: auth,
      body: { model: 'gemini-3-flash-preview', background: true, input: 'hello' },
    });
    expect(run.status).toBe(200);
    const got = await r.next();
    expect(got.path).toBe('/hook');
    expect(new Webhook(secret).verify(got.body, signatureHeaders(got))).toMatchObject({
      type: 'interaction.completed',
      data: { id: run.json.id, status: 'completed' },
    });

    await Promise.all([a.server.webhooks?.whenIdle(), b.server.webhooks?.whenIdle()]);
    expect(r.deliveries).toHaveLength(1);
  });

  it('sends interaction.cancelled for a queued run cancelled before any replica ran it', async () => {
    const schema = await newSchema();
    const r = await receiver();
    const slow = { delay_ms: 10, rules: [{ respond: [{ type: 'text', text: manyWords(60) }] }] };
    const s = await replica(schema, { script: slow, maxBackgroundRuns: 1 });
    const registered = await call(`${s.url}/v1beta/webhooks`, {
      headers: auth,
      body: { uri: `${r.url}/cancelled`, subscribed_events: ['interaction.cancelled'] },
    });
    const secret = (registered.json as { new_signing_secret: string }).new_signing_secret;
    const create = () =>
      call(`${s.url}/v1beta/interactions`, {
        headers: auth,
        body: { model: 'gemini-3-flash-preview', background: true, input: 'go' },
      });
    expect((await create()).json.status).toBe('in_progress');
    const queued = await create();
    expect(queued.json.status).toBe('queued');

    const cancelled = await call(`${s.url}/v1beta/interactions/${queued.json.id}/cancel`, {
      method: 'POST',
      headers: auth,
    });
    expect(cancelled.json.status).toBe('cancelled');
    const got = await r.next();
    expect(new Webhook(secret).verify(got.body, signatureHeaders(got))).toMatchObject({
      type: 'interaction.cancelled',
      data: { id: queued.json.id, status: 'cancelled' },
    });
  });

  it("signs webhook_config deliveries with one key every replica's JWKS serves", async () => {
    const schema = await newSchema();
    const r = await receiver();
    const [a, b] = await Promise.all([replica(schema), replica(schema)]);
    const [jwksA, jwksB] = await Promise.all([
      call(`${a.url}/.well-known/jwks.json`),
      call(`${b.url}/.well-known/jwks.json`),
    ]);
    expect(jwksA.json.keys).toHaveLength(1);
    expect(jwksB.json).toEqual(jwksA.json);

    const run = await call(`${b.url}/v1beta/interactions`, {
      headers: auth,
      body: {
        model: 'gemini-3-flash-preview',
        background: true,
        input: 'hello',
        webhook_config: { uris: [`${r.url}/dynamic`] },
      },
    });
    expect(run.status).toBe(200);
    const got = await r.next();
    const { payload } = await jwtVerify(
      String(got.headers['webhook-signature']),
      createLocalJWKSet(jwksA.json),
      { audience: `${r.url}/dynamic`, issuer: b.url, algorithms: ['RS256'] },
    );
    expect(payload).toMatchObject({ type: 'interaction.completed', data: { id: run.json.id } });
  });

  it('sends a delivery a stopped replica had claimed, once its claim lapses', async () => {
    const schema = await newSchema();
    const r = await receiver();
    // Another replica queued a delivery for a webhook, claimed it to send, and stopped before it did.
    const stopped = (await openStore(schema)).webhookStore({ claimMs: 1_000 });
    const secret = newSigningSecret(Date.now());
    const now = isoSeconds();
    await stopped.createWebhook({
      id: 'wh_orphan',
      owner: ownerOfKey(KEY),
      uri: `${r.url}/orphan`,
      subscribedEvents: ['interaction.completed'],
      state: 'enabled',
      secrets: [secret],
      failedDeliveries: 0,
      created: now,
      updated: now,
    });
    const body = JSON.stringify({ type: 'interaction.completed', data: { id: 'v1_orphaned' } });
    await stopped.addDeliveries([
      delivery('msg_orphaned', Date.now(), {
        owner: ownerOfKey(KEY),
        webhookId: 'wh_orphan',
        uri: `${r.url}/orphan`,
        body,
      }),
    ]);
    expect(await stopped.dueDeliveries(Date.now(), 10)).toHaveLength(1);

    const polling = (await openStore(schema)).webhookStore({ pollIntervalMs: 20 });
    const s = await replica(schema, { webhookStore: polling });
    const got = await r.next();
    expect(got.headers['webhook-id']).toBe('msg_orphaned');
    expect(new Webhook(secret.secret).verify(got.body, signatureHeaders(got))).toMatchObject({
      data: { id: 'v1_orphaned' },
    });
    await s.server.webhooks?.whenIdle();
    expect(await polling.nextDueAt()).toBeUndefined();
  });
});
