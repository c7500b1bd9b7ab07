/**
 * Verifying webhook deliveries in your own receiver, both ways the Interactions API signs them
 * (ai.google.dev/gemini-api/docs/webhooks):
 * - a registered webhook: Standard Webhooks headers, HMAC-SHA256 with the webhook's `whsec_…` secret (checked
 *   by the `standardwebhooks` package, timestamps within ±5 minutes);
 * - a request's `webhook_config.uris`: `webhook-signature` is an RS256 JWT, checked against the server's JWKS
 *   (`{server}/.well-known/jwks.json`, or Google's for the live API) with `jose`; its audience is your URI.
 *
 * Pass the raw body, exactly as received: a body parsed and serialized again no longer matches its signature.
 *
 * @example
 * ```ts
 * import { verifyWebhook } from '@interplay/core';
 *
 * // In your HTTP handler, with the raw body text and the request headers:
 * const event = await verifyWebhook(rawBody, req.headers, { secret: process.env.WEBHOOK_SECRET! });
 * if (event.type === 'interaction.completed') console.log('done:', event.data.id);
 * ```
 */
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { Webhook } from 'standardwebhooks';

/** The thin payload of every delivery. */
export interface WebhookEvent {
  /** `interaction.completed`, `interaction.failed`, `interaction.requires_action`, `interaction.cancelled`, … */
  type: string;
  version: string;
  /** When the event happened, `YYYY-MM-DDThh:mm:ssZ`. */
  timestamp: string;
  data: {
    /** The interaction's id. */
    id: string;
    status?: string;
    error_code?: string;
    error_message?: string;
    user_metadata?: Record<string, unknown>;
    [extra: string]: unknown;
  };
  /** The delivery's `webhook-id` (the same on every retry: deduplicate on it). */
  webhookId: string;
}

export type VerifyWebhookOptions =
  | {
      /** The registered webhook's signing secret(s) (`whsec_…`); any one of them may match. */
      secret: string | readonly string[];
    }
  | {
      /** The JWKS of the server that sent it, e.g. `http://127.0.0.1:8787/.well-known/jwks.json`. */
      jwksUrl: string | URL;
      /** Your URI as given in `webhook_config.uris` (the token's audience). */
      audience: string;
      /** The sending server's URL, when you want it checked. */
      issuer?: string;
    };

export type WebhookVerificationCode = 'missing_header' | 'bad_signature' | 'bad_payload';

/** A delivery that did not verify: answer it with a 4xx and do not act on it. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  readonly code: WebhookVerificationCode;
  constructor(code: WebhookVerificationCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

type Headers = Record<string, string | string[] | undefined> | globalThis.Headers;

const jwksCache = new Map<string, JWTVerifyGetKey>();

export async function verifyWebhook(
  body: string,
  headers: Headers,
  options: VerifyWebhookOptions,
): Promise<WebhookEvent> {
  const header = (name: string): string => {
    const value = headers instanceof globalThis.Headers ? headers.get(name) : headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (!text) throw new WebhookVerificationError('missing_header', `The delivery has no '${name}' header.`);
    return text;
  };
  const webhookId = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signature = header('webhook-signature');
  let envelope: unknown;
  if ('secret' in options) {
    const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
    let lastError: unknown;
    for (const secret of secrets) {
      try {
        envelope = new Webhook(secret).verify(body, {
          'webhook-id': webhookId,
          'webhook-timestamp': timestamp,
          'webhook-signature': signature,
        });
        break;
      } catch (error) {
        lastError = error;
      }
    }
    if (envelope === undefined) {
      throw new WebhookVerificationError(
        'bad_signature',
        'The signature does not match any of the secrets.',
        {
          cause: lastError,
        },
      );
    }
  } else {
    const url = String(options.jwksUrl);
    let keys = jwksCache.get(url);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(url));
      jwksCache.set(url, keys);
    }
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(signature, keys, {
        audience: options.audience,
        algorithms: ['RS256'],
        ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      }));
    } catch (error) {
      throw new WebhookVerificationError(
        'bad_signature',
        `The signature token does not verify: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    if (claims.jti !== webhookId) {
      throw new WebhookVerificationError(
        'bad_signature',
        'The signature token was made for another delivery.',
      );
    }
    try {
      envelope = JSON.parse(body);
    } catch (error) {
      throw new WebhookVerificationError('bad_payload', 'The body is not JSON.', { cause: error });
    }
    // The token carries the envelope: the body must say the same.
    if (
      JSON.stringify((envelope as { data?: unknown }).data) !== JSON.stringify(claims.data) ||
      (envelope as { type?: unknown }).type !== claims.type
    ) {
      throw new WebhookVerificationError('bad_signature', 'The body does not match its signature token.');
    }
  }
  const event = envelope as Partial<WebhookEvent>;
  if (typeof event?.type !== 'string' || typeof event.data?.id !== 'string') {
    throw new WebhookVerificationError(
      'bad_payload',
      'The delivery is not a webhook event (no type or data.id).',
    );
  }
  return { ...(event as WebhookEvent), webhookId };
}
