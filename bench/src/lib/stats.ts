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
