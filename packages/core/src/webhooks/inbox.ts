/**
 * Where a flow waits for its webhooks: your receiver hands each verified event to the inbox, and a flow step
 * that created a background interaction awaits the event for that interaction's id. An event that arrives
 * before anyone waits is kept until it is taken (a fast run can finish before `create` has returned).
 *
 * @example
 * ```ts
 * const inbox = new WebhookInbox();
 * // your HTTP route, after verifyWebhook(...):
 * inbox.deliver(event);
 * // elsewhere (a flow step does this for you):
 * const delivered = await inbox.next('v1_abc', signal);
 * ```
 */
import type { WebhookEvent } from './verify.ts';

/** The events that end a wait: the interaction needs the caller, or it finished. */
const SETTLING = new Set([
  'interaction.completed',
  'interaction.failed',
  'interaction.cancelled',
  'interaction.requires_action',
]);

export class WebhookInbox {
  readonly #held = new Map<string, WebhookEvent>();
  readonly #waiting = new Map<string, (event: WebhookEvent) => void>();
  /** `webhook-id`s seen: a retried delivery is taken once. */
  readonly #seen = new Set<string>();

  /** Hand over a verified event; returns false for a duplicate or an event no wait ends on. */
  deliver(event: WebhookEvent): boolean {
    if (!SETTLING.has(event.type) || this.#seen.has(event.webhookId)) return false;
    this.#seen.add(event.webhookId);
    const wake = this.#waiting.get(event.data.id);
    if (wake) {
      this.#waiting.delete(event.data.id);
      wake(event);
    } else this.#held.set(event.data.id, event);
    return true;
  }

  /** The next event for `interactionId` (at once when one is held). Rejects when `signal` aborts. */
  next(interactionId: string, signal?: AbortSignal): Promise<WebhookEvent> {
    const held = this.#held.get(interactionId);
    if (held) {
      this.#held.delete(interactionId);
      return Promise.resolve(held);
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(interactionId);
        reject(signal?.reason);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(interactionId, (event) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(event);
      });
    });
  }
}
