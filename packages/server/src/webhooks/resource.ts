/**
 * The Webhook resource as SDK 3.6 reads and writes it (`client.webhooks`: `Webhook`, `WebhookInput`,
 * `WebhookUpdate`, `RotateSigningSecretRequest`): request validation (400 naming the field) and the wire view.
 */
import { InteractionsError } from '@interplay/protocol';
import { z } from 'zod';
import { REVOCATION_BEHAVIORS, type RevocationBehavior, truncatedSecret } from './secrets.ts';
import type { WebhookRecord, WebhookState } from './store.ts';

/** The webhook as the API shows it. `new_signing_secret` is added by create only. */
export function webhookView(r: WebhookRecord, now: number = Date.now()): Record<string, unknown> {
  const view: Record<string, unknown> = { id: r.id };
  if (r.name !== undefined) view.name = r.name;
  view.uri = r.uri;
  view.subscribed_events = r.subscribedEvents;
  view.state = r.state;
  view.signing_secrets = r.secrets
    .filter((s) => s.expiresAt === undefined || s.expiresAt > now)
    .map((s) => ({
      truncated_secret: truncatedSecret(s.secret),
      ...(s.expiresAt === undefined ? {} : { expire_time: new Date(s.expiresAt).toISOString() }),
    }));
  view.create_time = r.created;
  view.update_time = r.updated;
  return view;
}

const MAX_NAME = 256;
const MAX_URI = 2048;
const MAX_EVENTS = 32;

const events = z
  .array(z.string().min(1).max(128))
  .min(1, 'must name at least one event')
  .max(MAX_EVENTS)
  .transform((list) => [...new Set(list)]);

const createSchema = z.strictObject({
  name: z.string().max(MAX_NAME).optional(),
  uri: z.string().min(1).max(MAX_URI),
  subscribed_events: events,
});

const updateSchema = z.strictObject({
  name: z.string().max(MAX_NAME).optional(),
  uri: z.string().min(1).max(MAX_URI).optional(),
  subscribed_events: events.optional(),
  state: z.enum(['enabled', 'disabled', 'disabled_due_to_failed_deliveries']).optional(),
});

const rotateSchema = z.strictObject({
  revocation_behavior: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(REVOCATION_BEHAVIORS as [RevocationBehavior, ...RevocationBehavior[]]))
    .optional(),
});

export interface WebhookInput {
  name?: string;
  uri: string;
  subscribed_events: string[];
}

export interface WebhookUpdateInput {
  name?: string;
  uri?: string;
  subscribed_events?: string[];
  state?: WebhookState;
}

export const parseWebhookInput = (body: unknown): WebhookInput => parse(createSchema, body);
export const parseWebhookUpdate = (body: unknown): WebhookUpdateInput => parse(updateSchema, body);
export const parseRotateRequest = (body: unknown): { revocation_behavior?: RevocationBehavior } =>
  parse(rotateSchema, body);

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const field = issue.path.map(String).join('.') || undefined;
  const what =
    issue.code === 'unrecognized_keys' ? `unknown field '${issue.keys.join("', '")}'` : issue.message;
  throw new InteractionsError(
    'invalid_request',
    field === undefined ? `Invalid request: ${what}.` : `Invalid '${field}': ${what}.`,
    field === undefined ? {} : { field },
  );
}
