/**
 * The webhook tables (Postgres migration v4) in the database the replicas of a deployment share: a webhook
 * registered through one replica fires for runs on any other, and every replica sends from one delivery queue.
 *
 * A replica claims the deliveries it is about to send (`dueDeliveries`): in one statement it locks due rows
 * other replicas have not locked (`FOR UPDATE SKIP LOCKED`) and moves their due time to the end of a claim
 * (`claimMs`), so no other replica finds them due meanwhile. The attempt then removes or reschedules the row;
 * a replica that stops half-way leaves it due again once the claim lapses, for any replica to send.
 *
 * @example
 * ```ts
 * const store = await PostgresStore.open({ url: 'postgres://interplay:secret@127.0.0.1:5432/interplay' });
 * const webhooks = store.webhookStore();
 * await webhooks.listWebhooks(null, 50);
 * ```
 */
import type { PgDatabase } from '../store/postgres-database.ts';
import { StoreError } from '../store/store.ts';
import { DEFAULT_RETRY_POLICY, DELIVERIES_PER_SENDER } from './delivery-queue.ts';
import {
  type DeliveryRecord,
  type WebhookPage,
  type WebhookPatch,
  type WebhookRecord,
  type WebhookStore,
  WebhookStoreError,
} from './store.ts';
import {
  DELIVERY_COLUMNS,
  decodeWebhookPageToken,
  deliveryParams,
  patchAssignments,
  toDelivery,
  toWebhook,
  WEBHOOK_COLUMNS,
  webhookPage,
  webhookParams,
} from './webhook-rows.ts';

export interface PostgresWebhookStoreOptions {
  /**
   * How long a claimed delivery stays out of other replicas' reach (ms). It must outlast working through one
   * claimed batch (`claimCovering`). Default 120 000.
   */
  claimMs?: number;
  /** How often the queue looks for deliveries due (ms), besides when it adds some. Default 5 000. */
  pollIntervalMs?: number;
}

export const DEFAULT_CLAIM_MS = 120_000;
export const DEFAULT_WEBHOOK_POLL_MS = 5_000;

/**
 * A claim long enough for one claimed batch when attempts may take `attemptTimeoutMs` each: each sender works
 * through `DELIVERIES_PER_SENDER` of them one after another, with twice that as margin.
 */
export function claimCovering(attemptTimeoutMs: number = DEFAULT_RETRY_POLICY.attemptTimeoutMs): number {
  return Math.max(DEFAULT_CLAIM_MS, 2 * DELIVERIES_PER_SENDER * attemptTimeoutMs);
}

/** The owner as the index sees it: open mode's webhooks (owner NULL) are one owner's too. */
const OWNER = "COALESCE(owner, '') = COALESCE($1::text, '')";
const DELIVERY_FIELDS = DELIVERY_COLUMNS.split(', ');

/** Locks due rows no other replica holds, moves them to the end of the claim, returns them as they were. */
const CLAIM_DUE = `
  WITH due AS (
    SELECT id, next_attempt_at FROM webhook_deliveries WHERE next_attempt_at <= $1
     ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE webhook_deliveries d SET next_attempt_at = $2 FROM due WHERE d.id = due.id
    RETURNING ${DELIVERY_FIELDS.map((c) => (c === 'next_attempt_at' ? 'due.next_attempt_at' : `d.${c}`)).join(', ')}
  )
  SELECT * FROM claimed ORDER BY next_attempt_at, id`;

export class PostgresWebhookStore implements WebhookStore {
  readonly pollIntervalMs: number;
  readonly claimMs: number;
  readonly #db: PgDatabase;

  constructor(db: PgDatabase, options: PostgresWebhookStoreOptions = {}) {
    this.#db = db;
    this.claimMs = positive('claimMs', options.claimMs ?? DEFAULT_CLAIM_MS);
    this.pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? DEFAULT_WEBHOOK_POLL_MS);
  }

  async createWebhook(r: WebhookRecord): Promise<void> {
    try {
      await this.#db.query(
        `INSERT INTO webhooks (${WEBHOOK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        webhookParams(r),
      );
    } catch (error) {
      if (error instanceof StoreError && error.code === 'conflict') {
        throw new WebhookStoreError('conflict', `A webhook with id '${r.id}' already exists.`);
      }
      throw error;
    }
  }

  async getWebhook(id: string, owner: string | null): Promise<WebhookRecord | undefined> {
    const { rows } = await this.#db.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE ${OWNER} AND id = $2`,
      [owner, id],
    );
    return rows[0] && toWebhook(rows[0]);
  }

  async listWebhooks(owner: string | null, pageSize: number, pageToken?: string): Promise<WebhookPage> {
    const [created, id] = decodeWebhookPageToken(pageToken);
    const { rows } = await this.#db.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE ${OWNER} AND (created, id) > ($2, $3)
        ORDER BY created, id LIMIT $4`,
      [owner, created, id, pageSize + 1],
    );
    return webhookPage(rows, pageSize);
  }

  async subscribedWebhooks(owner: string | null, event: string): Promise<WebhookRecord[]> {
    const { rows } = await this.#db.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks
        WHERE ${OWNER} AND state = 'enabled'
          AND EXISTS (SELECT 1 FROM json_array_elements_text(events_json::json) AS e WHERE e = $2)
        ORDER BY created, id`,
      [owner, event],
    );
    return rows.map(toWebhook);
  }

  async updateWebhook(id: string, patch: WebhookPatch): Promise<void> {
    const sets = patchAssignments(patch);
    if (sets.length === 0) return;
    await this.#db.query(
      `UPDATE webhooks SET ${sets.map(([column], i) => `${column} = $${i + 1}`).join(', ')}
        WHERE id = $${sets.length + 1}`,
      [...sets.map(([, value]) => value), id],
    );
  }

  async deleteWebhook(id: string, owner: string | null): Promise<boolean> {
    // Its pending deliveries go with it (ON DELETE CASCADE).
    const { rowCount } = await this.#db.query(`DELETE FROM webhooks WHERE ${OWNER} AND id = $2`, [owner, id]);
    return rowCount > 0;
  }

  async addDeliveries(deliveries: readonly DeliveryRecord[]): Promise<void> {
    if (deliveries.length === 0) return;
    const width = DELIVERY_FIELDS.length;
    const rows = deliveries.map(
      (_, r) => `(${DELIVERY_FIELDS.map((_, c) => `$${r * width + c + 1}`).join(', ')})`,
    );
    await this.#db.query(
      `INSERT INTO webhook_deliveries (${DELIVERY_COLUMNS}) VALUES ${rows.join(', ')}`,
      deliveries.flatMap(deliveryParams),
    );
  }

  async dueDeliveries(now: number, limit: number): Promise<DeliveryRecord[]> {
    const { rows } = await this.#db.query(CLAIM_DUE, [now, now + this.claimMs, limit]);
    return rows.map(toDelivery);
  }

  async nextDueAt(): Promise<number | undefined> {
    const { rows } = await this.#db.query('SELECT MIN(next_attempt_at) AS due FROM webhook_deliveries', []);
    const due = rows[0]?.due;
    return due === null || due === undefined ? undefined : Number(due);
  }

  async rescheduleDelivery(
    id: string,
    attempts: number,
    nextAttemptAt: number,
    lastError: string,
  ): Promise<void> {
    await this.#db.query(
      'UPDATE webhook_deliveries SET attempts = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4',
      [attempts, nextAttemptAt, lastError, id],
    );
  }

  async removeDelivery(id: string): Promise<void> {
    await this.#db.query('DELETE FROM webhook_deliveries WHERE id = $1', [id]);
  }

  async removeDeliveriesOf(webhookId: string): Promise<void> {
    await this.#db.query('DELETE FROM webhook_deliveries WHERE webhook_id = $1', [webhookId]);
  }

  async signingKey(): Promise<{ kid: string; privateJwk: string } | undefined> {
    const { rows } = await this.#db.query('SELECT kid, private_jwk FROM webhook_keys WHERE active', []);
    const row = rows[0];
    return row && { kid: String(row.kid), privateJwk: String(row.private_jwk) };
  }

  async saveSigningKey(key: {
    kid: string;
    privateJwk: string;
  }): Promise<{ kid: string; privateJwk: string }> {
    // Replicas starting together each try to insert theirs; the unique index on the active key lets one in,
    // and each then reads the one that won (a statement of its own, so it sees the winner's commit).
    await this.#db.query(
      'INSERT INTO webhook_keys (kid, private_jwk, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [key.kid, key.privateJwk, Date.now()],
    );
    const stored = await this.signingKey();
    if (!stored) throw new StoreError('not_found', 'The webhook signing key was not stored.');
    return stored;
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 1) {
    throw new TypeError(`${name} must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}
