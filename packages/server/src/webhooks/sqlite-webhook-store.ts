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
import type { Statements } from '../store/statements.ts';
import {
  type DeliveryRecord,
  type WebhookPage,
  type WebhookPatch,
  type WebhookRecord,
  type WebhookStore,
  WebhookStoreError,
} from './store.ts';
import {
  WEBHOOK_COLUMNS as COLUMNS,
  DELIVERY_COLUMNS,
  decodeWebhookPageToken,
  deliveryParams,
  patchAssignments,
  toDelivery,
  toWebhook,
  webhookPage,
  webhookParams,
} from './webhook-rows.ts';

export class SqliteWebhookStore implements WebhookStore {
  readonly #sql: Statements;

  constructor(sql: Statements) {
    this.#sql = sql;
  }

  async createWebhook(r: WebhookRecord): Promise<void> {
    try {
      this.#sql.run(
        `INSERT INTO webhooks (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ...webhookParams(r),
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
    const after = decodeWebhookPageToken(pageToken);
    // `? + 0` (here and below): SQLite's planner reads a bare bound LIMIT, which recompiles the statement at every run.
    const rows = this.#sql.all(
      `SELECT ${COLUMNS} FROM webhooks WHERE owner IS ? AND (created, id) > (?, ?) ORDER BY created, id LIMIT ? + 0`,
      owner,
      after[0],
      after[1],
      pageSize + 1,
    );
    return webhookPage(rows, pageSize);
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
    const sets = patchAssignments(patch);
    if (sets.length === 0) return;
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
          ...deliveryParams(d),
        );
      }
    });
  }

  async dueDeliveries(now: number, limit: number): Promise<DeliveryRecord[]> {
    const rows = this.#sql.all(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE next_attempt_at <= ?
        ORDER BY next_attempt_at, id LIMIT ? + 0`,
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
