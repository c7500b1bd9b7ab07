/** Identifiers and timestamps as the Interactions API writes them. */
import { randomBytes } from 'node:crypto';

/**
 * Random bytes drawn 4 KiB at a time: `randomBytes(12)` per id costs a call into the system's generator each
 * time, about twenty times the rest of making an id (measured with commit afeccdd).
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** `bytes` (at most 4096) random bytes from the pool as base64url. */
function randomBase64url(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const text = pool.toString('base64url', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return text;
}

/** Random bytes of an id the server makes for a model's call (12 base64url characters). */
const CALL_ID_BYTES = 9;

/** The base64url characters in ASCII order, so a prefix written with them sorts as the number it encodes. */
const SORTABLE = Array.from('-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz', (c) =>
  c.charCodeAt(0),
);

/** 2¹⁸, three characters' worth of bits: a prefix is 2 characters (12 bits), then 3 and 3 (18 bits each). */
const HALF = 2 ** 18;

/**
 * `ms` (48 bits, good until the year 10889) as 8 characters that sort like the number. Made as one string
 * from its character codes: a string added to character by character is a chain of 8 strings, which every use
 * of the id (a map key, a SQLite parameter) would first copy into one.
 */
function timePrefix(ms: number): string {
  const high = Math.floor(ms / HALF ** 2); // the first 12 bits
  const middle = Math.floor(ms / HALF) % HALF;
  const low = ms % HALF;
  return String.fromCharCode(
    SORTABLE[(high >> 6) & 63] as number,
    SORTABLE[high & 63] as number,
    SORTABLE[middle >> 12] as number,
    SORTABLE[(middle >> 6) & 63] as number,
    SORTABLE[middle & 63] as number,
    SORTABLE[low >> 12] as number,
    SORTABLE[(low >> 6) & 63] as number,
    SORTABLE[low & 63] as number,
  );
}

/**
 * `v1_<24 characters>`: the creation time in milliseconds (8 characters that sort in time order) followed by
 * 12 random bytes (16 base64url characters). Ids of one process sort by creation time, so a new row lands at
 * the end of the primary-key index — SQLite writes a few pages per commit instead of one page per random
 * key (see docs/decisions-server.md); 96 random bits keep them unguessable.
 *
 * @example
 * const record = { id: newInteractionId(), status: 'in_progress', … };
 */
export function newInteractionId(now: number = Date.now()): string {
  return `v1_${timePrefix(Math.max(0, Math.trunc(now)))}${randomBase64url(12)}`;
}

/**
 * `<prefix><12 characters>`: an id for a model's call that came without one (72 random bits), so its result
 * can point at it. Drawn from the same pool as interaction ids: one per scripted or generated call.
 *
 * @example
 * const call = { type: 'function_call', name: 'get_weather', arguments: {}, id: newCallId() };
 */
export function newCallId(prefix = 'call_'): string {
  return `${prefix}${randomBase64url(CALL_ID_BYTES)}`;
}

/** The last second formatted: a busy server stamps thousands of records within the same second. */
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
 * `evt_1` … `evt_1024`, made once: every log's first events have these ids, and each id is asked for several
 * times per event (its log, its encoding, its lifecycle reference), which built a new string each time.
 */
const FIRST_EVENT_IDS: readonly string[] = Array.from({ length: 1024 }, (_, i) => `evt_${i + 1}`);

/**
 * Wire `event_id` of the canonical event at `seq` (1-based). A canonical event may become several legacy
 * events; the k-th extra one (k ≥ 1) is `evt_<seq>_<k>`.
 */
export function eventIdFor(seq: number, sub = 0): string {
  if (sub !== 0) return `evt_${seq}_${sub}`;
  return FIRST_EVENT_IDS[seq - 1] ?? `evt_${seq}`;
}

/** Position of an event in a revision's stream: canonical `seq`, and the index among its legacy events. */
export interface EventCursor {
  seq: number;
  sub: number;
}

/** Inverse of {@link eventIdFor}; `undefined` when the id is not one of ours. */
export function parseEventId(id: string): EventCursor | undefined {
  const m = /^evt_([1-9]\d{0,14})(?:_([1-9]\d{0,5}))?$/.exec(id);
  if (!m) return undefined;
  return { seq: Number(m[1]), sub: m[2] === undefined ? 0 : Number(m[2]) };
}
