/**
 * Signing secrets of registered webhooks, in the Standard Webhooks format (`whsec_` + base64 of the key), and
 * their rotation: the new secret signs from now on; the old ones are revoked at once or after 24 hours, and
 * until then every delivery carries one signature per live secret, so a receiver can switch keys at its pace.
 */
import { randomBytes } from 'node:crypto';
import type { SigningSecretRecord } from './store.ts';

export const SECRET_PREFIX = 'whsec_';
/** How long a rotated-out secret keeps signing under `revoke_previous_secrets_after_h24`. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

export type RevocationBehavior = 'revoke_previous_secrets_after_h24' | 'revoke_previous_secrets_immediately';
export const REVOCATION_BEHAVIORS: readonly RevocationBehavior[] = [
  'revoke_previous_secrets_after_h24',
  'revoke_previous_secrets_immediately',
];

export function newSigningSecret(now: number = Date.now()): SigningSecretRecord {
  return { secret: `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`, created: now };
}

/** The secrets that still sign at `now`, newest first. */
export function liveSecrets(secrets: readonly SigningSecretRecord[], now: number): SigningSecretRecord[] {
  return secrets.filter((s) => s.expiresAt === undefined || s.expiresAt > now);
}

/** The secrets after a rotation at `now`: the new one first, the previous live ones revoked as asked. */
export function rotateSecrets(
  secrets: readonly SigningSecretRecord[],
  fresh: SigningSecretRecord,
  behavior: RevocationBehavior,
  now: number,
): SigningSecretRecord[] {
  if (behavior === 'revoke_previous_secrets_immediately') return [fresh];
  const until = now + ROTATION_GRACE_MS;
  const kept = liveSecrets(secrets, now).map((s) => ({
    ...s,
    expiresAt: Math.min(s.expiresAt ?? until, until),
  }));
  return [fresh, ...kept];
}

/** What the API shows of a secret: never the key, only its last four characters. */
export function truncatedSecret(secret: string): string {
  return `${SECRET_PREFIX}…${secret.slice(-4)}`;
}
