/**
 * What a delivery carries: the thin payload of the Gemini API's webhooks (ai.google.dev/gemini-api/docs/webhooks,
 * "Webhook envelope"): `{type, version: "v1", timestamp, data}` where `data.id` names the interaction; a failed
 * one adds `error_code` and `error_message`. Our additions (docs/decisions-api.md): `data.status` (the final status,
 * which tells `incomplete` and `budget_exceeded` apart from `completed`) and `data.user_metadata` (the
 * request's `webhook_config.user_metadata`, when it had one).
 */
import type { InteractionStatus } from '@interplay/protocol';
import { isoSeconds } from '../runtime/ids.ts';

export const INTERACTION_EVENTS = [
  'interaction.requires_action',
  'interaction.completed',
  'interaction.failed',
  'interaction.cancelled',
] as const;
export type InteractionEventType = (typeof INTERACTION_EVENTS)[number];

/** Every event a webhook may subscribe to: the interaction events we send, and the API's others (never sent here). */
export const KNOWN_EVENTS: readonly string[] = [
  ...INTERACTION_EVENTS,
  'batch.succeeded',
  'batch.cancelled',
  'batch.expired',
  'batch.failed',
  'video.generated',
];

/** The ping a `:ping` sends. */
export const PING_EVENT = 'webhook.ping';

export interface WebhookEnvelope {
  type: string;
  version: 'v1';
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * The event an interaction's status fires, if any: `requires_action`, `failed` and `cancelled` have their own;
 * `completed`, `incomplete` and `budget_exceeded` all finished a run and fire `interaction.completed`.
 */
export function eventForStatus(status: InteractionStatus): InteractionEventType | undefined {
  switch (status) {
    case 'requires_action':
      return 'interaction.requires_action';
    case 'failed':
      return 'interaction.failed';
    case 'cancelled':
      return 'interaction.cancelled';
    case 'completed':
    case 'incomplete':
    case 'budget_exceeded':
      return 'interaction.completed';
    default:
      return undefined;
  }
}

export interface InteractionOutcome {
  id: string;
  status: InteractionStatus;
  error?: { code: string; message: string };
  userMetadata?: Record<string, unknown>;
}

export function interactionEnvelope(
  type: InteractionEventType,
  outcome: InteractionOutcome,
  now: number = Date.now(),
): WebhookEnvelope {
  const data: Record<string, unknown> = { id: outcome.id, status: outcome.status };
  if (type === 'interaction.failed' && outcome.error) {
    data.error_code = outcome.error.code;
    data.error_message = outcome.error.message;
  }
  if (outcome.userMetadata !== undefined) data.user_metadata = outcome.userMetadata;
  return { type, version: 'v1', timestamp: isoSeconds(now), data };
}

export function pingEnvelope(webhookId: string, now: number = Date.now()): WebhookEnvelope {
  return { type: PING_EVENT, version: 'v1', timestamp: isoSeconds(now), data: { id: webhookId } };
}
