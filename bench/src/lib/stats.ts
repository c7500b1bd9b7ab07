/** Small statistics over samples (milliseconds unless said otherwise). */

export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Percentile by linear interpolation between closest ranks; `p` in [0, 100]. NaN for no samples. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = s[lo] as number;
  const b = s[hi] as number;
  return a + (b - a) * (rank - lo);
}

export const median = (values: readonly number[]): number => percentile(values, 50);
export const p95 = (values: readonly number[]): number => percentile(values, 95);

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** A number for a table: 3 significant digits, at most 2 decimals below 10. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}

export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}

/** Rotate a list by `n` (interleaving variants so none always runs first). */
export function rotate<T>(list: readonly T[], n: number): T[] {
  const k = ((n % list.length) + list.length) % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/**
 * The `n`-th of all orderings of `list` (cycling). Within rounds every item runs right after every other one
 * equally often; counting round boundaries too, within 3 : 2 for three items. With {@link rotate} one item
 * follows a given one twice as often as the other does — and inherits its garbage to collect twice as often.
 */
export function permutation<T>(list: readonly T[], n: number): T[] {
  const all = permutationsOf(list);
  return all[((n % all.length) + all.length) % all.length] as T[];
}

/**
 * The `n`-th round's ordering of `list`: like {@link permutation}, every ordering once in each cycle of
 * `list.length!` rounds, but each cycle visits them in its own order, drawn from `seed`. A fixed sequence
 * locks onto server work that recurs after a fixed amount of work: in the tool loop SQLite checkpointed its
 * WAL (every 1,000 pages) every 3 rounds, so at the same 8 rounds of every 24-round cycle — 3 on the Runner,
 * none on the raw loop. Shuffled cycles spread it over all variants. The same seed gives the same order.
 */
export function shuffledPermutation<T>(list: readonly T[], n: number, seed = 1): T[] {
  const all = permutationsOf(list);
  const round = Math.max(0, Math.floor(n));
  const order = shuffled(
    all.map((_, i) => i),
    seededRandom(seed * 7919 + Math.floor(round / all.length)),
  );
  return all[order[round % all.length] as number] as T[];
}

/**
 * Pseudo-random numbers in [0, 1) from `seed` (xorshift32): the same seed gives the same numbers. The seed is
 * mixed first (multiply and xor-shift, as hash finalizers do): xorshift's first number keeps the top bits of
 * its state, so seeds that differ in their low bits — a run's seed plus a cycle number — drew the same first
 * number, and the two orderings of two items came in the same order in every cycle.
 */
export function seededRandom(seed: number): () => number {
  let x = mixed(seed >>> 0) || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** A 32-bit value in which every bit depends on every bit of `x`. */
function mixed(x: number): number {
  let h = x;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A copy of `list` in an order drawn from `random` (Fisher–Yates). */
export function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function permutationsOf<T>(list: readonly T[]): T[][] {
  if (list.length <= 1) return [[...list]];
  return list.flatMap((first, i) =>
    permutationsOf([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [first, ...rest]),
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Append to the list under `key`, creating it. */
export function pushTo<K extends PropertyKey, V>(map: Record<K, V[]>, key: K, value: V): void {
  const list = map[key];
  if (list) list.push(value);
  else map[key] = [value];
}
