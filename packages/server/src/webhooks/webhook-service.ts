/**
 * Webhooks between the HTTP routes and the store: the resource's operations (create, list, get, update,
 * delete, ping, rotate the signing secret), and `interactionEnded` — the one hook the runtime calls when a
 * background interaction reaches `requires_action` or a final status, which queues a signed delivery for each
 * target: the request's `webhook_config.uris` when it has them (instead of the registered webhooks, as the API
 * says), else every enabled webhook of the same API key subscribed to the event.
 *
 * @example
 * ```ts
 * const webhooks = new WebhookService({ store: new SqliteWebhookStore(sql), logger, issuer: () => url });
 * webhooks.start();
 * const { view, secret } = await webhooks.create(null, { uri: 'https://example.com/hook', subscribed_events: ['interaction.completed'] });
 * webhooks.interactionEnded(record); // queues interaction.completed for it, in the background
 * ```
 */
import { randomBytes } from 'node:crypto';
import { InteractionsError } from '@interplay/protocol';
import type { Logger } from 'pino';
import { isoSeconds } from '../runtime/ids.ts';
import type { InteractionRecord } from '../store/store.ts';
import { DeliveryQueue, type RetryPolicy } from './delivery-queue.ts';
import { eventForStatus, type InteractionEventType, interactionEnvelope, pingEnvelope } from './envelope.ts';
import { type DeliveryFetch, deliveryUriRefusal, policyFetch } from './outbound-fetch.ts';
import { parseRotateRequest, parseWebhookInput, parseWebhookUpdate, webhookView } from './resource.ts';
import { newSigningSecret, rotateSecrets } from './secrets.ts';
import { JwtSigner } from './signer.ts';
import { type DeliveryRecord, type WebhookRecord, type WebhookStore, WebhookStoreError } from './store.ts';

export interface WebhookOptions {
  /** Private or loopback hosts that may receive deliveries (e.g. `127.0.0.1` for a local receiver). */
  allowHosts?: readonly string[];
  /** Retries and disabling; see `RetryPolicy`. */
  retry?: Partial<RetryPolicy>;
  /** Sends deliveries instead of the policy-guarded default (tests, or an egress proxy). */
  fetch?: DeliveryFetch;
}

export interface WebhookServiceOptions extends WebhookOptions {
  store: WebhookStore;
  logger: Logger;
  /** This server's URL, the `iss` of the JWTs sent to per-request URIs. */
  issuer: () => string;
}

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 50;
const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export class WebhookService {
  readonly #store: WebhookStore;
  readonly #queue: DeliveryQueue;
  readonly #jwt: JwtSigner;
  readonly #allowHosts: readonly string[];
  readonly #logger: Logger;

  constructor(options: WebhookServiceOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#allowHosts = options.allowHosts ?? [];
    this.#jwt = new JwtSigner(options.store);
    this.#queue = new DeliveryQueue({
      store: options.store,
      fetch: options.fetch ?? policyFetch({ allowHosts: this.#allowHosts }),
      jwt: this.#jwt,
      issuer: options.issuer,
      logger: options.logger,
      ...(options.retry && { retry: options.retry }),
    });
  }

  /** Starts delivering, beginning with what a previous process left queued. */
  start(): void {
    this.#queue.start();
  }

  close(): Promise<void> {
    return this.#queue.close();
  }

  /** Resolves once no delivery is due or under way. */
  whenIdle(): Promise<void> {
    return this.#queue.whenIdle();
  }

  jwks() {
    return this.#jwt.jwks();
  }

  async create(owner: string | null, body: unknown, requestedId?: string) {
    const input = parseWebhookInput(body);
    this.#checkUri(input.uri, 'uri');
    let id = `wh_${randomBytes(12).toString('base64url')}`;
    if (requestedId !== undefined) {
      if (!ID_PATTERN.test(requestedId)) {
        throw new InteractionsError(
          'invalid_request',
          `'webhook_id' must be 1-63 lower-case letters, digits, '-' or '_', starting with a letter or digit.`,
          { field: 'webhook_id' },
        );
      }
      id = requestedId;
    }
    const now = Date.now();
    const secret = newSigningSecret(now);
    const record: WebhookRecord = {
      id,
      owner,
      uri: input.uri,
      subscribedEvents: input.subscribed_events,
      state: 'enabled',
      secrets: [secret],
      failedDeliveries: 0,
      created: isoSeconds(now),
      updated: isoSeconds(now),
    };
    if (input.name !== undefined) record.name = input.name;
    try {
      await this.#store.createWebhook(record);
    } catch (err) {
      if (err instanceof WebhookStoreError && err.code === 'conflict') {
        throw new InteractionsError('conflict', err.message, { field: 'webhook_id' });
      }
      throw err;
    }
    return { ...webhookView(record, now), new_signing_secret: secret.secret };
  }

  async list(owner: string | null, query: URLSearchParams) {
    const sizeText = query.get('page_size');
    let pageSize = DEFAULT_PAGE;
    if (sizeText !== null && sizeText !== '') {
      pageSize = Number(sizeText);
      if (!Number.isInteger(pageSize) || pageSize < 0) {
        throw new InteractionsError('invalid_request', `'page_size' must be a non-negative integer.`, {
          field: 'page_size',
        });
      }
      pageSize = Math.min(pageSize || DEFAULT_PAGE, MAX_PAGE);
    }
    const token = query.get('page_token') || undefined;
    try {
      const page = await this.#store.listWebhooks(owner, pageSize, token);
      const now = Date.now();
      return {
        webhooks: page.webhooks.map((w) => webhookView(w, now)),
        ...(page.nextPageToken === undefined ? {} : { next_page_token: page.nextPageToken }),
      };
    } catch (err) {
      if (err instanceof WebhookStoreError && err.code === 'invalid_page_token') {
        throw new InteractionsError('invalid_request', err.message, { field: 'page_token' });
      }
      throw err;
    }
  }

  async get(owner: string | null, id: string) {
    return webhookView(await this.#find(owner, id));
  }

  async update(owner: string | null, id: string, body: unknown, updateMask?: string) {
    const record = await this.#find(owner, id);
    const input = parseWebhookUpdate(body);
    const fields = updateMask
      ? new Set(
          updateMask
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean),
        )
      : new Set(Object.keys(input));
    for (const field of fields) {
      if (!['name', 'uri', 'subscribed_events', 'state'].includes(field)) {
        throw new InteractionsError(
          'invalid_request',
          `'update_mask' names '${field}', which cannot be updated.`,
          {
            field: 'update_mask',
          },
        );
      }
    }
    const patch: Parameters<WebhookStore['updateWebhook']>[1] = {};
    if (fields.has('name')) patch.name = input.name;
    if (fields.has('uri')) {
      if (input.uri === undefined)
        throw new InteractionsError('invalid_request', `'uri' is required.`, { field: 'uri' });
      this.#checkUri(input.uri, 'uri');
      patch.uri = input.uri;
    }
    if (fields.has('subscribed_events')) {
      if (!input.subscribed_events) {
        throw new InteractionsError('invalid_request', `'subscribed_events' must name at least one event.`, {
          field: 'subscribed_events',
        });
      }
      patch.subscribedEvents = input.subscribed_events;
    }
    if (fields.has('state') && input.state !== undefined) {
      if (input.state === 'disabled_due_to_failed_deliveries') {
        throw new InteractionsError(
          'invalid_request',
          `'state' can be set to 'enabled' or 'disabled'; 'disabled_due_to_failed_deliveries' is set by the server.`,
          { field: 'state' },
        );
      }
      patch.state = input.state;
      // Enabling again starts the count of failed deliveries over.
      if (input.state === 'enabled') patch.failedDeliveries = 0;
    }
    const now = Date.now();
    patch.updated = isoSeconds(now);
    await this.#store.updateWebhook(record.id, patch);
    return webhookView({ ...record, ...patch } as WebhookRecord, now);
  }

  async delete(owner: string | null, id: string): Promise<Record<string, never>> {
    if (!(await this.#store.deleteWebhook(id, owner))) throw notFound(id);
    return {};
  }

  /** Sends a signed `webhook.ping` now (no retries, no effect on the failure count). */
  async ping(owner: string | null, id: string): Promise<Record<string, never>> {
    const record = await this.#find(owner, id);
    const now = Date.now();
    const envelope = pingEnvelope(record.id, now);
    const delivery: DeliveryRecord = {
      id: messageId(),
      owner,
      webhookId: record.id,
      uri: record.uri,
      body: JSON.stringify(envelope),
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    };
    const attempt = await this.#queue.sendOnce(delivery, envelope);
    if (!attempt.ok) {
      throw new InteractionsError(
        'failed_precondition',
        `The ping to ${record.uri} failed: ${attempt.error}.`,
      );
    }
    return {};
  }

  async rotateSigningSecret(owner: string | null, id: string, body: unknown) {
    const record = await this.#find(owner, id);
    const { revocation_behavior: behavior = 'revoke_previous_secrets_after_h24' } = parseRotateRequest(
      body ?? {},
    );
    const now = Date.now();
    const fresh = newSigningSecret(now);
    await this.#store.updateWebhook(record.id, {
      secrets: rotateSecrets(record.secrets, fresh, behavior, now),
      updated: isoSeconds(now),
    });
    return { secret: fresh.secret };
  }

  /**
   * The runtime's hook: a background interaction reached `status`. Queues its event for every target (in the
   * background: the runtime does not wait for it), or does nothing (a foreground interaction, a status no event
   * is sent for, nobody subscribed). Never throws: a webhook problem must not change how the interaction ended.
   */
  interactionEnded(record: InteractionRecord): void {
    if (!record.background) return;
    const type = eventForStatus(record.status);
    if (type) void this.#queueDeliveries(record, type);
  }

  async #queueDeliveries(record: InteractionRecord, type: InteractionEventType): Promise<void> {
    try {
      const config = record.request.webhook_config;
      const now = Date.now();
      const envelope = interactionEnvelope(
        type,
        {
          id: record.id,
          status: record.status,
          ...(record.error && { error: record.error }),
          ...(config?.user_metadata !== undefined && { userMetadata: config.user_metadata }),
        },
        now,
      );
      const body = JSON.stringify(envelope);
      const base = { owner: record.owner, body, attempts: 0, nextAttemptAt: now, createdAt: now };
      const uris = config?.uris ?? [];
      const deliveries: DeliveryRecord[] =
        uris.length > 0
          ? uris.map((uri) => ({ ...base, id: messageId(), uri }))
          : (await this.#store.subscribedWebhooks(record.owner, type)).map((w) => ({
              ...base,
              id: messageId(),
              webhookId: w.id,
              uri: w.uri,
            }));
      if (deliveries.length > 0) await this.#queue.add(deliveries);
    } catch (err) {
      this.#logger.error({ err, interaction: record.id }, 'could not queue the webhook deliveries');
    }
  }

  /** 400 unless `uri` can receive deliveries (for a request's `webhook_config.uris`, before it runs). */
  checkUri(uri: string, field: string): void {
    this.#checkUri(uri, field);
  }

  #checkUri(uri: string, field: string): void {
    const refusal = deliveryUriRefusal(uri, this.#allowHosts);
    if (refusal) {
      throw new InteractionsError('invalid_request', `'${field}' cannot receive webhooks: ${refusal}.`, {
        field,
      });
    }
  }

  async #find(owner: string | null, id: string): Promise<WebhookRecord> {
    const record = await this.#store.getWebhook(id, owner);
    if (!record) throw notFound(id);
    return record;
  }
}

const notFound = (id: string) => new InteractionsError('not_found', `Webhook '${id}' was not found.`);
const messageId = () => `msg_${randomBytes(16).toString('base64url')}`;
