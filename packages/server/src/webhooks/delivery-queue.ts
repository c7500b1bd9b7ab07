/**
 * The durable delivery queue. A delivery is a row in the store until the receiver answers 2xx or it runs out
 * of attempts, so nothing is lost across a restart: a new queue on the same store sends what was waiting.
 * Failed attempts are retried with exponential backoff and jitter (1 s, 2 s, 4 s, … capped at 1 h, up to
 * `maxAttempts`, all within the Gemini API's 24 hours). A registered webhook whose deliveries run out of
 * attempts `disableAfter` times in a row is set to `disabled_due_to_failed_deliveries`, and what was still
 * queued for it is dropped.
 *
 * The queue wakes when something is added and otherwise sleeps until the next delivery is due. On a store
 * several replicas share (`pollIntervalMs` set), it also wakes that often, and the store's claims keep two
 * replicas from sending one delivery at once (`WebhookStore.dueDeliveries`).
 *
 * @example
 * ```ts
 * const queue = new DeliveryQueue({ store, fetch: policyFetch(), signer, issuer: () => url, logger });
 * queue.start();
 * await queue.add([delivery]); // sent at once, retried until it lands
 * await queue.close();
 * ```
 */
import type { Logger } from 'pino';
import { isoSeconds } from '../runtime/ids.ts';
import type { WebhookEnvelope } from './envelope.ts';
import type { DeliveryFetch } from './outbound-fetch.ts';
import { liveSecrets } from './secrets.ts';
import { type DeliveryHeaders, type JwtSigner, signWithSecrets } from './signer.ts';
import type { DeliveryRecord, WebhookRecord, WebhookStore } from './store.ts';

export interface RetryPolicy {
  /** Attempts per delivery, the first included. Default 12 (about 68 minutes of backoff in all). */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time. Default 1 000 ms. */
  baseDelayMs: number;
  /** Longest delay between two attempts. Default 1 hour. */
  maxDelayMs: number;
  /** Deliveries in a row that ran out of attempts before a webhook is disabled. Default 5. */
  disableAfter: number;
  /** How long one attempt may take, response included. Default 10 000 ms. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 12,
  baseDelayMs: 1_000,
  maxDelayMs: 3_600_000,
  disableAfter: 5,
  attemptTimeoutMs: 10_000,
};

export interface DeliveryQueueOptions {
  store: WebhookStore;
  fetch: DeliveryFetch;
  jwt: JwtSigner;
  /** This server's URL (the `iss` of the JWTs sent to per-request URIs). */
  issuer: () => string;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  /** Deliveries sent at once. Default 8. */
  concurrency?: number;
}

/** Deliveries the queue reads (and a shared store claims) per concurrent sender at a time. */
export const DELIVERIES_PER_SENDER = 4;

/** What one attempt came to. */
type Attempt = { ok: true } | { ok: false; error: string };

export class DeliveryQueue {
  readonly #o: DeliveryQueueOptions;
  readonly #retry: RetryPolicy;
  readonly #concurrency: number;
  /** Deliveries being attempted now (by id), so a wake-up never sends one twice. */
  readonly #inFlight = new Set<string>();
  readonly #idle = new Set<() => void>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #pumping: Promise<void> | undefined;
  #again = false;

  constructor(options: DeliveryQueueOptions) {
    this.#o = options;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#concurrency = Math.max(1, options.concurrency ?? 8);
  }

  /** Starts sending: what the store already holds first (deliveries left by a previous process). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#wake();
  }

  /** Queue deliveries (written before this resolves) and send them at once. */
  async add(deliveries: readonly DeliveryRecord[]): Promise<void> {
    await this.#o.store.addDeliveries(deliveries);
    this.#wake();
  }

  /** Sends one signed POST now, without queueing or retrying it (a ping). */
  async sendOnce(delivery: DeliveryRecord, envelope: WebhookEnvelope): Promise<Attempt> {
    return this.#attempt(delivery, envelope);
  }

  /** Resolves once nothing is due and nothing is being sent (tests and shutdown). */
  whenIdle(): Promise<void> {
    if (!this.#pumping) return Promise.resolve();
    return new Promise((resolve) => this.#idle.add(resolve));
  }

  /** Stops sending; attempts under way finish, what is left stays queued in the store for the next start. */
  async close(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#pumping;
    await this.#o.fetch.close?.();
  }

  #wake(): void {
    if (!this.#running) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      if (this.#again && this.#running) {
        this.#again = false;
        this.#wake();
        return;
      }
      for (const resolve of this.#idle) resolve();
      this.#idle.clear();
    });
  }

  /** Sends everything due, then sleeps until the next due time. */
  async #pump(): Promise<void> {
    const { store, logger } = this.#o;
    try {
      for (;;) {
        if (!this.#running) return;
        const due = (await store.dueDeliveries(Date.now(), this.#concurrency * DELIVERIES_PER_SENDER)).filter(
          (d) => !this.#inFlight.has(d.id),
        );
        if (due.length === 0) break;
        await forEachLimited(due, this.#concurrency, (d) => this.#deliver(d));
      }
      if (!this.#running) return;
      const next = await store.nextDueAt();
      const poll = store.pollIntervalMs;
      const sleep = next === undefined ? poll : Math.min(next - Date.now(), poll ?? Number.POSITIVE_INFINITY);
      if (sleep !== undefined && !this.#again) {
        this.#timer = setTimeout(() => this.#wake(), Math.max(0, sleep));
        this.#timer.unref();
      }
    } catch (err) {
      // A closed or busy store: try again shortly rather than stop delivering for good.
      logger.warn({ err }, 'webhook delivery queue could not read the store');
      if (this.#running) {
        this.#timer = setTimeout(() => this.#wake(), this.#retry.baseDelayMs);
        this.#timer.unref();
      }
    }
  }

  async #deliver(delivery: DeliveryRecord): Promise<void> {
    const { store, logger } = this.#o;
    this.#inFlight.add(delivery.id);
    try {
      const webhook =
        delivery.webhookId === undefined
          ? undefined
          : await store.getWebhook(delivery.webhookId, delivery.owner);
      if (delivery.webhookId !== undefined && webhook?.state !== 'enabled') {
        // Deleted or disabled since it was queued: nobody wants it any more.
        await store.removeDelivery(delivery.id);
        return;
      }
      const envelope = JSON.parse(delivery.body) as WebhookEnvelope;
      const attempt = await this.#attempt(delivery, envelope, webhook);
      const attempts = delivery.attempts + 1;
      if (attempt.ok) {
        await store.removeDelivery(delivery.id);
        if (webhook && webhook.failedDeliveries > 0)
          await store.updateWebhook(webhook.id, { failedDeliveries: 0 });
        logger.debug({ delivery: delivery.id, uri: delivery.uri, attempts }, 'webhook delivered');
        return;
      }
      if (attempts < this.#retry.maxAttempts) {
        await store.rescheduleDelivery(
          delivery.id,
          attempts,
          Date.now() + this.#backoff(attempts),
          attempt.error,
        );
        logger.debug(
          { delivery: delivery.id, uri: delivery.uri, attempts, error: attempt.error },
          'webhook attempt failed',
        );
        return;
      }
      await store.removeDelivery(delivery.id);
      logger.warn(
        { delivery: delivery.id, uri: delivery.uri, attempts, error: attempt.error },
        'webhook delivery gave up',
      );
      if (webhook) {
        const failed = webhook.failedDeliveries + 1;
        if (failed >= this.#retry.disableAfter) {
          await store.updateWebhook(webhook.id, {
            failedDeliveries: failed,
            state: 'disabled_due_to_failed_deliveries',
            updated: isoSeconds(),
          });
          await store.removeDeliveriesOf(webhook.id);
          logger.warn({ webhook: webhook.id, failed }, 'webhook disabled after failed deliveries');
        } else {
          await store.updateWebhook(webhook.id, { failedDeliveries: failed });
        }
      }
    } catch (err) {
      logger.warn({ err, delivery: delivery.id }, 'webhook delivery could not be processed');
    } finally {
      this.#inFlight.delete(delivery.id);
    }
  }

  /** `webhook`: the delivery's webhook when the caller has just read it (else it is read here). */
  async #attempt(
    delivery: DeliveryRecord,
    envelope: WebhookEnvelope,
    webhook?: WebhookRecord,
  ): Promise<Attempt> {
    let headers: DeliveryHeaders;
    const at = new Date();
    try {
      headers = await this.#headers(delivery, envelope, at, webhook);
    } catch (err) {
      return { ok: false, error: `could not sign: ${(err as Error).message}` };
    }
    const signal = AbortSignal.timeout(this.#retry.attemptTimeoutMs);
    try {
      const response = await this.#o.fetch(delivery.uri, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'interplay-webhooks/1', ...headers },
        body: delivery.body,
        signal,
      });
      // The body is not needed; read it so the connection can be reused.
      await response.arrayBuffer().catch(() => {});
      return response.status >= 200 && response.status < 300
        ? { ok: true }
        : { ok: false, error: `the receiver answered ${response.status}` };
    } catch (err) {
      return { ok: false, error: describeFailure(err) };
    }
  }

  async #headers(
    delivery: DeliveryRecord,
    envelope: WebhookEnvelope,
    at: Date,
    known?: WebhookRecord,
  ): Promise<DeliveryHeaders> {
    if (delivery.webhookId === undefined) {
      return this.#o.jwt.sign(delivery.id, envelope, delivery.uri, this.#o.issuer(), at);
    }
    const webhook = known ?? (await this.#o.store.getWebhook(delivery.webhookId, delivery.owner));
    const secrets = webhook ? liveSecrets(webhook.secrets, at.getTime()) : [];
    if (secrets.length === 0) throw new Error('the webhook has no live signing secret');
    return signWithSecrets(delivery.id, delivery.body, secrets, at);
  }

  /** Delay before attempt `attempts + 1`: exponential, capped, with ±20 % jitter so retries do not align. */
  #backoff(attempts: number): number {
    const { baseDelayMs, maxDelayMs } = this.#retry;
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1));
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  }
}

function describeFailure(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'the receiver did not answer in time';
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
