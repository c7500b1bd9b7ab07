/**
 * What the webhooks need stored: the registered webhooks (per API key, like interactions), the deliveries
 * waiting to be sent (the durable queue), and the server's key for signing deliveries to per-request URIs.
 * `SqliteWebhookStore` keeps them in the interactions database of one process; `PostgresWebhookStore` in the
 * database several replicas share, each sending from the same queue.
 */

/** A signing secret of a webhook; `expiresAt` is set once a rotation revoked it with a grace period. */
export interface SigningSecretRecord {
  /** `whsec_` + base64 of 32 random bytes (the Standard Webhooks format). */
  secret: string;
  /** Milliseconds since the epoch. */
  created: number;
  expiresAt?: number;
}

export type WebhookState = 'enabled' | 'disabled' | 'disabled_due_to_failed_deliveries';

export interface WebhookRecord {
  /** `wh_` + 16 random base64url characters (or the caller's `webhook_id`). */
  id: string;
  /** sha256 of the creating key (`null` in open mode): only that key sees it, and only its interactions fire it. */
  owner: string | null;
  name?: string;
  uri: string;
  subscribedEvents: string[];
  state: WebhookState;
  /** Newest first. */
  secrets: SigningSecretRecord[];
  /** Deliveries in a row that ran out of attempts; reset by a success. */
  failedDeliveries: number;
  created: string;
  updated: string;
}

export type WebhookPatch = Partial<
  Pick<
    WebhookRecord,
    'name' | 'uri' | 'subscribedEvents' | 'state' | 'secrets' | 'failedDeliveries' | 'updated'
  >
>;

/** One event for one target, until it is delivered or runs out of attempts. */
export interface DeliveryRecord {
  /** `msg_…`: the `webhook-id` header, the same on every attempt (receivers deduplicate on it). */
  id: string;
  owner: string | null;
  /** The registered webhook it goes to (signed with its secrets); absent for a `webhook_config.uris` target. */
  webhookId?: string;
  uri: string;
  /** The JSON envelope, exactly as it is sent. */
  body: string;
  /** Attempts made so far. */
  attempts: number;
  /** When the next attempt is due (ms since the epoch). */
  nextAttemptAt: number;
  createdAt: number;
  lastError?: string;
}

export interface WebhookPage {
  webhooks: WebhookRecord[];
  nextPageToken?: string;
}

export interface WebhookStore {
  /**
   * Set by a store other processes send from too: the queue looks for due deliveries at least this often
   * (milliseconds), so it also sends what another process rescheduled or left behind when it stopped.
   */
  readonly pollIntervalMs?: number;

  createWebhook(record: WebhookRecord): Promise<void>;
  getWebhook(id: string, owner: string | null): Promise<WebhookRecord | undefined>;
  /** Oldest first, `pageSize` at a time; the token is opaque. */
  listWebhooks(owner: string | null, pageSize: number, pageToken?: string): Promise<WebhookPage>;
  /** The owner's enabled webhooks subscribed to `event`. */
  subscribedWebhooks(owner: string | null, event: string): Promise<WebhookRecord[]>;
  updateWebhook(id: string, patch: WebhookPatch): Promise<void>;
  /** Deletes it and its pending deliveries; false when it is not the owner's. */
  deleteWebhook(id: string, owner: string | null): Promise<boolean>;

  addDeliveries(deliveries: readonly DeliveryRecord[]): Promise<void>;
  /**
   * Deliveries due at `now`, soonest first. A store several processes share also claims them: a delivery
   * returned is not returned again, to any process, until its claim lapses or it is rescheduled or removed,
   * so two processes never attempt it at once, and one a stopped process was attempting is due again once
   * the claim lapses. A store of one process need not claim (the queue never attempts one twice at once).
   */
  dueDeliveries(now: number, limit: number): Promise<DeliveryRecord[]>;
  /** When the next delivery is due, or undefined when none waits. */
  nextDueAt(): Promise<number | undefined>;
  rescheduleDelivery(id: string, attempts: number, nextAttemptAt: number, lastError: string): Promise<void>;
  removeDelivery(id: string): Promise<void>;
  /** Drops every delivery still waiting for `webhookId` (it was disabled). */
  removeDeliveriesOf(webhookId: string): Promise<void>;

  /** The signing key for per-request URIs (a private JWK as JSON), or undefined before the first start. */
  signingKey(): Promise<{ kid: string; privateJwk: string } | undefined>;
  /** Stores the key unless one exists; returns the one that is stored. */
  saveSigningKey(key: { kid: string; privateJwk: string }): Promise<{ kid: string; privateJwk: string }>;
}

export class WebhookStoreError extends Error {
  readonly code: 'conflict' | 'invalid_page_token';
  constructor(code: 'conflict' | 'invalid_page_token', message: string) {
    super(message);
    this.name = 'WebhookStoreError';
    this.code = code;
  }
}
