/**
 * The `WebhookStore` contract (webhooks/store.ts), run on both stores: SQLite (a temporary file) and Postgres
 * (a fresh schema on the test server). Webhooks per owner and their pages, subscriptions, the delivery queue
 * (due in order, rescheduled, removed) and the signing key saved once by two stores racing on one database.
 */
import { describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/store/postgres-store.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { SqliteWebhookStore } from '../src/webhooks/sqlite-webhook-store.ts';
import type { DeliveryRecord, WebhookPatch, WebhookRecord, WebhookStore } from '../src/webhooks/store.ts';
import { storeKinds } from './helpers/store-kinds.ts';

function webhookStoreOf(store: Store): WebhookStore {
  if (store instanceof SqliteStore) return new SqliteWebhookStore(store.sql);
  if (store instanceof PostgresStore) return store.webhookStore();
  throw new Error('no webhook store for this store');
}

function webhook(id: string, owner: string | null, over: Partial<WebhookRecord> = {}): WebhookRecord {
  return {
    id,
    owner,
    uri: `https://example.com/${id}`,
    subscribedEvents: ['interaction.completed'],
    state: 'enabled',
    secrets: [{ secret: `whsec_${id}`, created: 1_000 }],
    failedDeliveries: 0,
    created: '2026-12-06T10:00:00Z',
    updated: '2026-12-06T10:00:00Z',
    ...over,
  };
}

function delivery(id: string, nextAttemptAt: number, over: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    id,
    owner: 'owner-a',
    uri: `https://example.com/${id}`,
    body: `{"type":"interaction.completed","id":"${id}"}`,
    attempts: 0,
    nextAttemptAt,
    createdAt: 50,
    ...over,
  };
}

describe.each(storeKinds())('webhook store contract: $name', (kind) => {
  const open = async (location?: string) => webhookStoreOf(await kind.open(location));

  it("keeps each owner's webhooks to that owner, open mode's (null) included", async () => {
    const store = await open();
    const mine = webhook('wh_mine', 'owner-a', { name: 'Mine' });
    await store.createWebhook(mine);
    await store.createWebhook(webhook('wh_open', null));

    expect(await store.getWebhook('wh_mine', 'owner-a')).toEqual(mine);
    expect(await store.getWebhook('wh_mine', 'owner-b')).toBeUndefined();
    expect(await store.getWebhook('wh_mine', null)).toBeUndefined();
    expect(await store.getWebhook('wh_open', null)).toMatchObject({ id: 'wh_open', owner: null });
    expect(await store.getWebhook('wh_open', 'owner-a')).toBeUndefined();
    expect(await store.getWebhook('wh_none', 'owner-a')).toBeUndefined();
  });

  it('refuses an id already taken, by any owner, as a conflict', async () => {
    const store = await open();
    await store.createWebhook(webhook('wh_taken', 'owner-a'));
    await expect(store.createWebhook(webhook('wh_taken', 'owner-b'))).rejects.toMatchObject({
      name: 'WebhookStoreError',
      code: 'conflict',
    });
  });

  it('lists an owner’s webhooks oldest first in pages, ids breaking ties', async () => {
    const store = await open();
    const at = (s: number) => `2026-12-06T10:00:0${s}Z`;
    await store.createWebhook(webhook('wh_c', 'owner-a', { created: at(1) }));
    await store.createWebhook(webhook('wh_a', 'owner-a', { created: at(2) }));
    await store.createWebhook(webhook('wh_b', 'owner-a', { created: at(2) }));
    await store.createWebhook(webhook('wh_0', 'owner-a', { created: at(3) }));
    await store.createWebhook(webhook('wh_other', 'owner-b', { created: at(0) }));

    const ids: string[][] = [];
    let token: string | undefined;
    do {
      const page = await store.listWebhooks('owner-a', 2, token);
      ids.push(page.webhooks.map((w) => w.id));
      token = page.nextPageToken;
    } while (token !== undefined);
    expect(ids).toEqual([
      ['wh_c', 'wh_a'],
      ['wh_b', 'wh_0'],
    ]);
    expect((await store.listWebhooks('owner-b', 10)).webhooks.map((w) => w.id)).toEqual(['wh_other']);
    expect(await store.listWebhooks(null, 10)).toEqual({ webhooks: [] });
    await expect(store.listWebhooks('owner-a', 2, 'not-a-token')).rejects.toMatchObject({
      code: 'invalid_page_token',
    });
  });

  it('updates the fields a patch names and ignores others', async () => {
    const store = await open();
    await store.createWebhook(webhook('wh_u', 'owner-a', { name: 'Before' }));
    const secrets = [
      { secret: 'whsec_new', created: 2_000 },
      { secret: 'whsec_wh_u', created: 1_000, expiresAt: 90_000 },
    ];
    const changes: WebhookPatch = {
      uri: 'https://example.com/moved',
      subscribedEvents: ['interaction.failed', 'interaction.requires_action'],
      state: 'disabled',
      secrets,
      failedDeliveries: 3,
      updated: '2026-12-06T11:00:00Z',
    };
    // `name: undefined` removes the name; an owner is not a field a patch can change.
    await store.updateWebhook('wh_u', { name: undefined, ...changes, ...({ owner: 'owner-b' } as object) });
    await store.updateWebhook('wh_u', {});
    const after = await store.getWebhook('wh_u', 'owner-a');
    expect(after).toEqual({ ...webhook('wh_u', 'owner-a'), ...changes });
    expect(after).not.toHaveProperty('name');
  });

  it("finds the owner's enabled webhooks subscribed to an event, oldest first", async () => {
    const store = await open();
    const both = ['interaction.completed', 'interaction.failed'];
    await store.createWebhook(
      webhook('wh_late', 'owner-a', { subscribedEvents: both, created: '2026-12-06T10:00:09Z' }),
    );
    await store.createWebhook(webhook('wh_early', 'owner-a', { created: '2026-12-06T10:00:01Z' }));
    await store.createWebhook(
      webhook('wh_failed_only', 'owner-a', { subscribedEvents: ['interaction.failed'] }),
    );
    await store.createWebhook(webhook('wh_disabled', 'owner-a', { state: 'disabled' }));
    await store.createWebhook(
      webhook('wh_given_up', 'owner-a', { state: 'disabled_due_to_failed_deliveries' }),
    );
    await store.createWebhook(webhook('wh_theirs', 'owner-b'));

    const completed = await store.subscribedWebhooks('owner-a', 'interaction.completed');
    expect(completed.map((w) => w.id)).toEqual(['wh_early', 'wh_late']);
    const failed = await store.subscribedWebhooks('owner-a', 'interaction.failed');
    expect(failed.map((w) => w.id).sort()).toEqual(['wh_failed_only', 'wh_late']);
    expect(await store.subscribedWebhooks('owner-a', 'interaction.cancelled')).toEqual([]);
    expect(await store.subscribedWebhooks(null, 'interaction.completed')).toEqual([]);
  });

  it('returns the deliveries due, soonest first, as they were queued, up to the limit', async () => {
    const store = await open();
    await store.createWebhook(webhook('wh_target', 'owner-a'));
    const later = delivery('msg_later', 300, { webhookId: 'wh_target' });
    const sooner = delivery('msg_sooner', 100, { attempts: 2, lastError: 'the receiver answered 503' });
    const tie = delivery('msg_a_tie', 300);
    await store.addDeliveries([later, sooner, tie, delivery('msg_future', 5_000)]);
    await store.addDeliveries([]);

    expect(await store.nextDueAt()).toBe(100);
    expect(await store.dueDeliveries(1_000, 10)).toEqual([sooner, tie, later]);
  });

  it('returns at most `limit` due deliveries, the soonest', async () => {
    const store = await open();
    await store.addDeliveries([delivery('msg_2', 200), delivery('msg_1', 100), delivery('msg_3', 300)]);
    expect((await store.dueDeliveries(1_000, 2)).map((d) => d.id)).toEqual(['msg_1', 'msg_2']);
  });

  it('reschedules a delivery with its attempts and error, and removes one', async () => {
    const store = await open();
    await store.addDeliveries([delivery('msg_retry', 100), delivery('msg_done', 100)]);
    await store.rescheduleDelivery('msg_retry', 1, 3_000, 'the receiver did not answer in time');
    await store.removeDelivery('msg_done');

    expect(await store.dueDeliveries(1_000, 10)).toEqual([]);
    expect(await store.nextDueAt()).toBe(3_000);
    expect(await store.dueDeliveries(3_000, 10)).toEqual([
      delivery('msg_retry', 3_000, { attempts: 1, lastError: 'the receiver did not answer in time' }),
    ]);
    await store.removeDelivery('msg_retry');
    expect(await store.nextDueAt()).toBeUndefined();
  });

  it("drops a webhook's waiting deliveries when told to, or when it is deleted by its owner", async () => {
    const store = await open();
    await store.createWebhook(webhook('wh_x', 'owner-a'));
    await store.createWebhook(webhook('wh_y', 'owner-a'));
    await store.addDeliveries([
      delivery('msg_x', 100, { webhookId: 'wh_x' }),
      delivery('msg_y', 200, { webhookId: 'wh_y' }),
      delivery('msg_uri', 300),
    ]);

    await store.removeDeliveriesOf('wh_x');
    expect(await store.deleteWebhook('wh_y', 'owner-b')).toBe(false);
    expect(await store.getWebhook('wh_y', 'owner-a')).toBeDefined();
    expect(await store.deleteWebhook('wh_y', 'owner-a')).toBe(true);
    expect(await store.deleteWebhook('wh_y', 'owner-a')).toBe(false);

    expect((await store.dueDeliveries(1_000, 10)).map((d) => d.id)).toEqual(['msg_uri']);
    expect(await store.getWebhook('wh_x', 'owner-a')).toBeDefined();
  });

  it('keeps the first signing key saved, even when stores on one database race to save theirs', async () => {
    const location = kind.newLocation();
    const racing = await Promise.all([1, 2, 3, 4].map(() => open(location)));
    expect(await racing[0]?.signingKey()).toBeUndefined();

    const keys = await Promise.all(
      racing.map((store, i) => store.saveSigningKey({ kid: `key_${i}`, privateJwk: `{"kid":"key_${i}"}` })),
    );
    const [winner] = keys;
    expect(['key_0', 'key_1', 'key_2', 'key_3']).toContain(winner?.kid);
    expect(keys).toEqual([winner, winner, winner, winner]);
    for (const store of racing) expect(await store.signingKey()).toEqual(winner);
    expect(await racing[1]?.saveSigningKey({ kid: 'key_later', privateJwk: '{}' })).toEqual(winner);
  });
});
