/**
 * A create request's `webhook_config` (`uris`, `user_metadata`), checked before anything runs: the Gemini API
 * sends webhooks for long-running (background) interactions only — its docs call `background: true` required
 * with `webhook_config` — so a foreground one is a 400, as is a URI that can never receive a delivery.
 */
import { type CanonicalRequest, InteractionsError } from '@interplay/protocol';
import type { WebhookService } from './webhook-service.ts';

const MAX_URIS = 10;

export function checkWebhookConfig(request: CanonicalRequest, webhooks: WebhookService | undefined): void {
  const config = request.webhook_config;
  if (config === undefined) return;
  if (request.background !== true) {
    throw new InteractionsError(
      'invalid_request',
      `'webhook_config' requires 'background': true; webhooks report long-running interactions.`,
      { field: 'webhook_config' },
    );
  }
  if (!webhooks) {
    throw new InteractionsError(
      'unimplemented',
      `'webhook_config' is not available with this server's store.`,
      {
        status: 501,
        field: 'webhook_config',
      },
    );
  }
  const uris = config.uris ?? [];
  if (uris.length > MAX_URIS) {
    throw new InteractionsError(
      'invalid_request',
      `'webhook_config.uris' may list at most ${MAX_URIS} URIs.`,
      {
        field: 'webhook_config.uris',
      },
    );
  }
  for (const [i, uri] of uris.entries()) webhooks.checkUri(uri, `webhook_config.uris[${i}]`);
}
