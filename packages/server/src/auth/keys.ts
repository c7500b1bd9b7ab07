/**
 * API-key authentication. A key may come in `x-goog-api-key`, `?key=`, or `Authorization: Bearer`.
 * The owner of what a key creates is the key's SHA-256 (hex); the key itself is never stored or logged.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { InteractionsError } from '@interplay/protocol';

export function ownerOfKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The key a request presents, if any. */
export function presentedKey(
  headers: IncomingHttpHeaders,
  query: URLSearchParams | undefined,
): string | undefined {
  const header = headers['x-goog-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const fromQuery = query?.get('key');
  if (fromQuery) return fromQuery;
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/** Keys from repeated `--api-key` values and a comma-separated `INTERPLAY_API_KEYS`. */
export function collectKeys(
  fromArgs: readonly string[] = [],
  fromEnv: string | undefined = undefined,
): string[] {
  const keys = [...fromArgs, ...(fromEnv ?? '').split(',')].map((k) => k.trim()).filter((k) => k !== '');
  return [...new Set(keys)];
}

export class KeyRing {
  /** sha256(key) for every configured key. */
  readonly #owners: Set<string>;

  constructor(keys: readonly string[]) {
    this.#owners = new Set(keys.map(ownerOfKey));
  }

  /** No keys configured: every request is accepted and owns nothing (`owner = null`). */
  get open(): boolean {
    return this.#owners.size === 0;
  }

  /**
   * The owner for a request, or an `authentication` error (401). In open mode any presented key is ignored.
   * Keys are compared by hash, so comparison time does not depend on how much of a key matched.
   */
  authenticate(headers: IncomingHttpHeaders, query: URLSearchParams | undefined): string | null {
    if (this.open) return null;
    const key = presentedKey(headers, query);
    if (key === undefined) {
      throw new InteractionsError(
        'authentication',
        'Missing API key. Pass it in the x-goog-api-key header, the key query parameter, or Authorization: Bearer.',
      );
    }
    const owner = ownerOfKey(key);
    if (!this.#owners.has(owner)) {
      throw new InteractionsError('authentication', 'API key not valid. Please pass a valid API key.');
    }
    return owner;
  }
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}
