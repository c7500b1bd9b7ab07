/**
 * Signs deliveries the two ways the Gemini API does (ai.google.dev/gemini-api/docs/webhooks):
 * - to a registered webhook: Standard Webhooks — `webhook-id`, `webhook-timestamp`, and `webhook-signature`
 *   with one `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per live secret, made by the `standardwebhooks`
 *   package (the reference implementation the docs' own receivers use);
 * - to a request's `webhook_config.uris` (no shared secret): `webhook-signature` is an RS256 JWT (made with
 *   `jose`) whose claims are the envelope plus `iss` (this server), `aud` (the URI), `iat`, `exp` (+5 min) and
 *   `jti` (the `webhook-id`); the public key is served at `/.well-known/jwks.json`.
 *
 * @example
 * ```ts
 * const headers = signWithSecrets('msg_1', body, [{ secret: 'whsec_…', created: 0 }], new Date());
 * // { 'webhook-id': 'msg_1', 'webhook-timestamp': '1767225600', 'webhook-signature': 'v1,…' }
 * ```
 */
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { Webhook } from 'standardwebhooks';
import type { WebhookEnvelope } from './envelope.ts';
import type { SigningSecretRecord, WebhookStore } from './store.ts';

export type DeliveryHeaders = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;

/** Standard Webhooks headers for `body`, one signature per secret (newest first). */
export function signWithSecrets(
  msgId: string,
  body: string,
  secrets: readonly SigningSecretRecord[],
  at: Date,
): DeliveryHeaders {
  const signatures = secrets.map((s) => new Webhook(s.secret).sign(msgId, at, body));
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

/** `jose` (~1 MB resident, measured) is loaded with the first JWT or JWKS, not with the server: most never sign one. */
let loadingJose: Promise<typeof import('jose')> | undefined;
const loadJose = () => (loadingJose ??= import('jose'));

/** How long a delivery's JWT is valid: the replay window receivers are told to enforce. */
const JWT_LIFETIME_S = 300;

/** The server's RS256 key for per-request URIs: made once, kept in the store, so restarts keep verifying. */
export class JwtSigner {
  readonly #store: WebhookStore;
  #key: Promise<{ kid: string; privateKey: CryptoKey; publicJwk: JWK }> | undefined;

  constructor(store: WebhookStore) {
    this.#store = store;
  }

  /** The public keys, as a JWKS document. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const { publicJwk } = await this.#load();
    return { keys: [publicJwk] };
  }

  async sign(msgId: string, envelope: WebhookEnvelope, audience: string, issuer: string, at: Date) {
    const { kid, privateKey } = await this.#load();
    const { SignJWT } = await loadJose();
    const iat = Math.floor(at.getTime() / 1000);
    const token = await new SignJWT({ ...envelope })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + JWT_LIFETIME_S)
      .setJti(msgId)
      .sign(privateKey);
    return { 'webhook-id': msgId, 'webhook-timestamp': String(iat), 'webhook-signature': token };
  }

  #load() {
    this.#key ??= (async () => {
      const { exportJWK, generateKeyPair, importJWK } = await loadJose();
      let stored = await this.#store.signingKey();
      if (!stored) {
        const { privateKey } = await generateKeyPair('RS256', { extractable: true });
        const kid = `key_${randomBytes(8).toString('base64url')}`;
        stored = await this.#store.saveSigningKey({
          kid,
          privateJwk: JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' }),
        });
      }
      const jwk = JSON.parse(stored.privateJwk) as JWK;
      const privateKey = (await importJWK(jwk, 'RS256')) as CryptoKey;
      const { kty, n, e } = jwk;
      return {
        kid: stored.kid,
        privateKey,
        publicJwk: { kty, n, e, kid: stored.kid, alg: 'RS256', use: 'sig' },
      };
    })();
    return this.#key;
  }
}
