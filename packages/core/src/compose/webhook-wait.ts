/**
 * A background step that waits for its webhook instead of following the run: the step's request gets
 * `webhook_config: { uris: [uri], user_metadata }`, and once created the step awaits the inbox's event for its
 * interaction (your receiver verifies deliveries and hands them to the inbox), then reads the result with one
 * `GET`. Before waiting it asks for the status once, so a step resumed after its event was delivered to an
 * earlier process does not wait for ever; and if no event comes within `fallbackAfterMs` it follows the run
 * the usual way (the backend's `follow`).
 *
 * @example
 * ```ts
 * const inbox = new WebhookInbox();
 * const research = agentStep({
 *   agent: 'deep-research-preview-04-2026',
 *   webhook: { uri: 'https://my.example/hooks/interplay', inbox },
 * });
 * // in the route behind that URI: inbox.deliver(await verifyWebhook(body, headers, { jwksUrl, audience }));
 * ```
 */
import { isSettled } from '@interplay/client';
import type { CanonicalInteraction, CanonicalRequest } from '@interplay/protocol';
import type { InteractionsBackend } from '../backend/backend.ts';
import type { WebhookInbox } from '../webhooks/inbox.ts';

export interface WebhookWait {
  /** Where the server sends the step's webhook (your receiver's URL). */
  uri: string;
  /** Where your receiver hands the verified events. */
  inbox: WebhookInbox;
  /** Sent back in every event's `data.user_metadata`. */
  userMetadata?: Record<string, unknown>;
  /** Follow the run after this long without an event (a delivery lost for good). Default 30 minutes. */
  fallbackAfterMs?: number;
}

export function withWebhookConfig(request: CanonicalRequest, wait: WebhookWait): CanonicalRequest {
  return {
    ...request,
    webhook_config: {
      uris: [wait.uri],
      ...(wait.userMetadata === undefined ? {} : { user_metadata: wait.userMetadata }),
    },
  };
}

export async function waitByWebhook(
  backend: InteractionsBackend,
  id: string,
  wait: WebhookWait,
  signal: AbortSignal,
): Promise<CanonicalInteraction> {
  const now = await backend.get(id, { signal });
  if (isSettled(now.status)) return now;
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  let timer: NodeJS.Timeout | undefined;
  const fallback = new Promise<'poll'>((resolve) => {
    timer = setTimeout(() => resolve('poll'), wait.fallbackAfterMs ?? 30 * 60_000);
    timer.unref?.();
  });
  try {
    const first = await Promise.race([wait.inbox.next(id, both), fallback]);
    if (first === 'poll') return await backend.follow(id, { signal });
    return await backend.get(id, { signal });
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
}
