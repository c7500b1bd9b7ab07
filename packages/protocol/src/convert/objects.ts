/** Small object helpers shared by the converters. */

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A deep copy of a JSON value (plain objects, arrays, primitives). A stream copies every step it starts so that
 * its deltas can be applied without touching the event that carried it; `structuredClone` serializes and
 * deserializes each copy, several times the cost for the small objects a step starts as.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = cloneJson((value as Record<string, unknown>)[key]);
    // A parsed `"__proto__"` key is an own property; assigning it would set the copy's prototype instead.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out as T;
}

/** A copy without `undefined` values, so a converted object compares and serializes like the wire's. */
export function compact<T extends object>(value: T): T {
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const v = source[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}

/** The fields of `value` not named in `known`, or `undefined` when there are none. */
export function unknownFields(
  value: Record<string, unknown>,
  known: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const v = value[key];
    // A parsed "__proto__" key is no field of the API: assigning it would set `out`'s prototype.
    if (known.has(key) || v === undefined || key === '__proto__') continue;
    out ??= {};
    out[key] = v;
  }
  return out;
}

/** `target` plus the `extra` fields it does not already have (known fields win over pass-through ones). */
export function withExtra<T extends object>(target: T, extra: Record<string, unknown> | undefined): T {
  if (extra === undefined) return target;
  const out: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  for (const [key, v] of Object.entries(extra)) if (!(key in out)) out[key] = v;
  return out as T;
}
