/** Identifiers and timestamps as the Interactions API writes them. */
import { randomBytes } from 'node:crypto';

const ID_BYTES = 18;
/** Random bytes drawn 4 KiB at a time: one `getrandom` call per ~227 ids instead of one per id. */
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** `v1_<base64url random>`: 18 random bytes, 24 characters, no padding. */
export function newInteractionId(): string {
  if (poolOffset + ID_BYTES > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  const id = pool.toString('base64url', poolOffset, poolOffset + ID_BYTES);
  poolOffset += ID_BYTES;
  return `v1_${id}`;
}

/** The last second formatted, reused: a busy server stamps thousands of records within the same second. */
let lastSecond = Number.NaN;
let lastStamp = '';

/** `YYYY-MM-DDThh:mm:ssZ` (seconds precision, UTC). */
export function isoSeconds(ms: number = Date.now()): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastStamp = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastStamp;
}

/**
 * Wire `event_id` of the canonical event at `seq` (1-based). A canonical event may become several legacy
 * events; the k-th extra one (k ≥ 1) is `evt_<seq>_<k>`.
 */
export function eventIdFor(seq: number, sub = 0): string {
  return sub === 0 ? `evt_${seq}` : `evt_${seq}_${sub}`;
}

/** Inverse of {@link eventIdFor}; `undefined` when the id is not one of ours. */
export function parseEventId(id: string): { seq: number; sub: number } | undefined {
  const m = /^evt_([1-9]\d{0,14})(?:_([1-9]\d{0,5}))?$/.exec(id);
  if (!m) return undefined;
  return { seq: Number(m[1]), sub: m[2] === undefined ? 0 : Number(m[2]) };
}
