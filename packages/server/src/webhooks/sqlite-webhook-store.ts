/**
 * The webhook tables (migration v7) in the SQLite database of the interactions. Writes are rare (a webhook
 * registered, a delivery queued, sent or retried), so each is its own commit.
 *
 * @example
 * ```ts
 * const store = SqliteStore.open({ path: 'interplay.db' });
 * const webhooks = new SqliteWebhookStore(store.sql);
 * await webhooks.listWebhooks(null, 50);
 * ```
 */
import type { Row, Statements } from '../store/statements.ts';
import {
  type DeliveryRecord,
  type WebhookPage,
  type WebhookPatch,
  type WebhookRecord,
  type WebhookState,
  type WebhookStore,
  WebhookStoreError,
} from './store.ts';

const COLUMNS = 'id, owner, name, uri, events_json, state, secrets_json, failed_deliveries, created, updated';
const DELIVERY_COLUMNS =
  'id, owner, webhook_id, uri, body, attempts, next_attempt_at, created_at, last_error';

const PATCH_COLUMNS: Record<keyof WebhookPatch, (value: unknown) => [string, string | number | null]> = {
  name: (v) => ['name', (v as string | undefined) ?? null],
  uri: (v) => ['uri', v as string],
  subscribedEvents: (v) => ['events_json', JSON.stringify(v)],
  state: (v) => ['state', v as string],
  secrets: (v) => ['secrets_json', JSON.stringify(v)],
  failedDeliveries: (v) => ['failed_deliveries', v as number],
  updated: (v) => ['updated', v as string],
};

export class SqliteWebhookStore implements WebhookStore {
  readonly #sql: Statements;

  constructor(sql: Statements) {
    this.#sql = sql;
  }

  async createWebhook(r: WebhookRecord): Promise<void> {
    try {
      this.#sql.run(
        `INSERT INTO webhooks (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        r.id,
        r.owner,
        r.name ?? null,
        r.uri,
        JSON.stringify(r.subscribedEvents),
        r.state,
        JSON.stringify(r.secrets),
        r.failedDeliveries,
        r.created,
        r.updated,
      );
    } catch (error) {
      if (String((error as Error).message).includes('UNIQUE')) {
        throw new WebhookStoreError('conflict', `A webhook with id '${r.id}' already exists.`);
      }
      throw error;
    }
  }

  async getWebhook(id: string, owner: string | null): Promise<WebhookRecord | undefined> {
    const row = this.#sql.get(`SELECT ${COLUMNS} FROM webhooks WHERE id = ? AND owner IS ?`, id, owner);
    return row && toWebhook(row);
  }

  async listWebhooks(owner: string | null, pageSize: number, pageToken?: string): Promise<WebhookPage> {
    let after: [string, string] = ['', ''];
    if (pageToken !== undefined) {
      try {
        const parsed = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8')) as unknown;
        if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((p) => typeof p === 'string')) {
          throw new Error('bad token');
        }
        after = parsed as [string, string];
      } catch {
        throw new WebhookStoreError('invalid_page_token', `'page_token' is not a token this server issued.`);
      }
    }
    const rows = this.#sql.all(
      `SELECT ${COLUMNS} FROM webhooks WHERE owner IS ? AND (created, id) > (?, ?) ORDER BY created, id LIMIT ?`,
      owner,
      after[0],
      after[1],
      pageSize + 1,
    );
    const webhooks = rows.slice(0, pageSize).map(toWebhook);
    const last = webhooks.at(-1);
    return rows.length > pageSize && last
      ? {
          webhooks,
          nextPageToken: Buffer.from(JSON.stringify([last.created, last.id])).toString('base64url'),
        }
      : { webhooks };
  }

  async subscribedWebhooks(owner: string | null, event: string): Promise<WebhookRecord[]> {
    const rows = this.#sql.all(
      `SELECT ${COLUMNS} FROM webhooks
        WHERE owner IS ? AND state = 'enabled' AND EXISTS (SELECT 1 FROM json_each(events_json) WHERE value = ?)
        ORDER BY created, id`,
      owner,
      event,
    );
    return rows.map(toWebhook);
  }

  async updateWebhook(id: string, patch: WebhookPatch): Promise<void> {
    const keys = (Object.keys(patch) as (keyof WebhookPatch)[]).filter((k) =>
      Object.hasOwn(PATCH_COLUMNS, k),
    );
    if (keys.length === 0) return;
    const sets = keys.map((k) => PATCH_COLUMNS[k](patch[k]));
    this.#sql.run(
      `UPDATE webhooks SET ${sets.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`,
      ...sets.map(([, value]) => value),
      id,
    );
  }

  async deleteWebhook(id: string, owner: string | null): Promise<boolean> {
    // Its pending deliveries go with it (ON DELETE CASCADE).
    return this.#sql.run('DELETE FROM webhooks WHERE id = ? AND owner IS ?', id, owner) > 0;
  }

  async addDeliveries(deliveries: readonly DeliveryRecord[]): Promise<void> {
    if (deliveries.length === 0) return;
    this.#sql.transaction(() => {
      for (const d of deliveries) {
        this.#sql.run(
          `INSERT INTO webhook_deliveries (${DELIVERY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          d.id,
          d.owner,
          d.webhookId ?? null,
          d.uri,
          d.body,
          d.attempts,
          d.nextAttemptAt,
          d.createdAt,
          d.lastError ?? null,
        );
      }
    });
  }

  async dueDeliveries(now: number, limit: number): Promise<DeliveryRecord[]> {
    const rows = this.#sql.all(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE next_attempt_at <= ?
        ORDER BY next_attempt_at, id LIMIT ?`,
      now,
      limit,
    );
    return rows.map(toDelivery);
  }

  async nextDueAt(): Promise<number | undefined> {
    const row = this.#sql.get('SELECT MIN(next_attempt_at) AS due FROM webhook_deliveries');
    return typeof row?.due === 'number' ? row.due : undefined;
  }

  async rescheduleDelivery(
    id: string,
    attempts: number,
    nextAttemptAt: number,
    lastError: string,
  ): Promise<void> {
    this.#sql.run(
      'UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
      attempts,
      nextAttemptAt,
      lastError,
      id,
    );
  }

  async removeDelivery(id: string): Promise<void> {
    this.#sql.run('DELETE FROM webhook_deliveries WHERE id = ?', id);
  }

  async removeDeliveriesOf(webhookId: string): Promise<void> {
    this.#sql.run('DELETE FROM webhook_deliveries WHERE webhook_id = ?', webhookId);
  }

  async signingKey(): Promise<{ kid: string; privateJwk: string } | undefined> {
    const row = this.#sql.get('SELECT kid, private_jwk FROM webhook_keys ORDER BY created DESC LIMIT 1');
    return row && { kid: row.kid as string, privateJwk: row.private_jwk as string };
  }

  async saveSigningKey(key: {
    kid: string;
    privateJwk: string;
  }): Promise<{ kid: string; privateJwk: string }> {
    return this.#sql.transaction(() => {
      const existing = this.#sql.get(
        'SELECT kid, private_jwk FROM webhook_keys ORDER BY created DESC LIMIT 1',
      );
      if (existing) return { kid: existing.kid as string, privateJwk: existing.private_jwk as string };
      this.#sql.run(
        'INSERT INTO webhook_keys (kid, private_jwk, created) VALUES (?, ?, ?)',
        key.kid,
        key.privateJwk,
        Date.now(),
      );
      return key;
    });
  }
}

function toWebhook(row: Row): WebhookRecord {
  const record: WebhookRecord = {
    id: row.id as string,
    owner: (row.owner as string | null) ?? null,
    uri: row.uri as string,
    subscribedEvents: JSON.parse(row.events_json as string) as string[],
    state: row.state as WebhookState,
    secrets: JSON.parse(row.secrets_json as string) as WebhookRecord['secrets'],
    failedDeliveries: Number(row.failed_deliveries),
    created: row.created as string,
    updated: row.updated as string,
  };
  if (typeof row.name === 'string') record.name = row.name;
  return record;
}

function toDelivery(row: Row): DeliveryRecord {
  const record: DeliveryRecord = {
    id: row.id as string,
    owner: (row.owner as string | null) ?? null,
    uri: row.uri as string,
    body: row.body as string,
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    createdAt: Number(row.created_at),
  };
  if (typeof row.webhook_id === 'string') record.webhookId = row.webhook_id;
  if (typeof row.last_error === 'string') record.lastError = row.last_error;
  return record;
}
