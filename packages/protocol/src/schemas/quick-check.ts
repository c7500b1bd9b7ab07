/**
 * A quick yes/no check compiled from a zod schema, for the lenient parses a client runs on every response
 * and event. A full zod parse of a valid value builds a copy of it, object by object; this only reads it.
 *
 * The check is conservative: `true` means zod would accept the value and return an equal copy of it, so
 * the value itself can be used. `false` means "not sure": the caller runs the zod parse, which gives the
 * same result and error messages as ever. Any schema part the compiler does not know (refinements,
 * transforms, defaults, formats) checks `false`, and so does anything unusual in a value (a `__proto__`
 * key, a non-plain object, a sparse array, a throwing getter).
 *
 * Compiled from the schemas themselves, the check follows any change to them.
 */
import type { z } from 'zod';
import { dispatcherOf, openUnionOf } from './open-union.ts';

export type QuickCheck = (value: unknown) => boolean;

/** A compiled check, or `undefined` for a schema it cannot vouch for. */
type Compiled = QuickCheck | undefined;

interface Def {
  type: string;
  [key: string]: unknown;
}

const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

/** A JSON-style object: `{…}` or `Object.create(null)`, nothing with a class or array prototype. */
const isPlain = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const isString: QuickCheck = (v) => typeof v === 'string';
const isBoolean: QuickCheck = (v) => typeof v === 'boolean';
const isFiniteNumber: QuickCheck = (v) => typeof v === 'number' && Number.isFinite(v);
const isSafeInt: QuickCheck = (v) => Number.isSafeInteger(v);
const anything: QuickCheck = () => true;
const nothing: QuickCheck = () => false;

const compiled = new WeakMap<z.ZodType, Compiled>();

function compile(schema: z.ZodType): Compiled {
  if (compiled.has(schema)) return compiled.get(schema);
  compiled.set(schema, undefined); // a schema that contains itself is not vouched for
  const check = compileNew(schema);
  compiled.set(schema, check);
  return check;
}

function compileNew(schema: z.ZodType): Compiled {
  const guard = guards.get(schema);
  if (guard) {
    const inner = compile(guard.inner);
    return inner && ((v) => guard.passes(v) && inner(v));
  }
  const def = defOf(schema);
  // Refinements, coercion and exotic variants change what is accepted or returned: not vouched for.
  if ((def.checks as unknown[] | undefined)?.length || def.coerce) return undefined;
  if (schema._zod.traits.has('$ZodExactOptional')) return undefined;
  switch (def.type) {
    case 'string':
      return def.format === undefined ? isString : undefined;
    case 'boolean':
      return isBoolean;
    case 'number':
      if (def.format === undefined) return isFiniteNumber;
      return def.format === 'safeint' ? isSafeInt : undefined;
    case 'unknown':
    case 'any':
      return anything;
    case 'literal': {
      const values = new Set(def.values as unknown[]);
      return (v) => values.has(v);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries as Record<string, unknown>));
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = compile(def.innerType as z.ZodType) ?? nothing;
      return (v) => v === undefined || inner(v);
    }
    case 'nonoptional': {
      const inner = compile(def.innerType as z.ZodType);
      return inner && ((v) => v !== undefined && inner(v));
    }
    case 'array':
      return arrayCheck(def);
    case 'record':
      return recordCheck(def);
    case 'union':
      return unionCheck(def);
    case 'object':
      return objectCheck(def);
    case 'pipe':
      return openUnionCheck(schema) ?? dispatchCheck(schema);
    default:
      return undefined;
  }
}

function arrayCheck(def: Def): Compiled {
  const element = compile(def.element as z.ZodType);
  if (!element) return undefined;
  return (v) => {
    if (!Array.isArray(v)) return false;
    // Indexed, like zod: holes read as `undefined` rather than being skipped.
    for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
    return true;
  };
}

function recordCheck(def: Def): Compiled {
  const key = defOf(def.keyType as z.ZodType);
  if (key.type !== 'string' || key.format !== undefined || (key.checks as unknown[] | undefined)?.length)
    return undefined;
  const value = compile(def.valueType as z.ZodType);
  if (!value) return undefined;
  return (v) => {
    // Symbol keys would fail zod's string key schema; zod leaves a `__proto__` key out of its copy.
    if (!isPlain(v) || Object.hasOwn(v, '__proto__') || Object.getOwnPropertySymbols(v).length > 0)
      return false;
    if (value === anything) return true;
    for (const k of Object.keys(v)) if (!value(v[k])) return false;
    return true;
  };
}

function unionCheck(def: Def): Compiled {
  if (def.inclusive === false) return undefined; // exclusive unions reject values matching two options
  const options = (def.options as z.ZodType[]).map(compile);
  // Every option must be known: zod returns the first option that accepts, whichever it is.
  if (options.some((o) => o === undefined)) return undefined;
  const known = options as QuickCheck[];
  return (v) => known.some((option) => option(v));
}

interface Field {
  key: string;
  check: QuickCheck;
  /** May be left out (zod then leaves it out of its copy too). */
  omittable: boolean;
}

function objectCheck(def: Def): Compiled {
  const catchall = def.catchall ? defOf(def.catchall as z.ZodType).type : undefined;
  // Loose objects keep unknown keys; plain ones strip them and strict ones reject them.
  const loose = catchall === 'unknown';
  if (catchall !== undefined && !loose && catchall !== 'never') return undefined;
  const shape = def.shape as Record<string, z.ZodType>;
  const fields: Field[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const check = compile(schema);
    if (!check) return undefined;
    const { optin, optout } = schema._zod;
    fields.push({ key, check, omittable: optin !== undefined && optout === 'optional' });
  }
  return (v) => {
    if (!isPlain(v)) return false;
    // Reads every field and walks every key, as zod does, so a value that throws in zod throws here too.
    for (const field of fields) {
      const x = v[field.key];
      if (x !== undefined ? !field.check(x) : !field.omittable && !(field.key in v && field.check(x))) {
        return false;
      }
    }
    for (const key in v) {
      // zod leaves a `__proto__` key out of its copy; plain objects drop unknown keys, strict ones reject them.
      if (key === '__proto__' || (!loose && !Object.hasOwn(shape, key))) return false;
    }
    return true;
  };
}

/** An open union (see open-union.ts): the tag picks one variant; unknown tags are kept in lenient mode. */
function openUnionCheck(schema: z.ZodType): Compiled {
  const union = openUnionOf(schema);
  if (!union) return undefined;
  const variants = new Map<string, QuickCheck>();
  for (const [tag, variant] of Object.entries(union.variants)) {
    variants.set(tag, compile(variant) ?? nothing);
  }
  const { key, keepUntagged, lenient } = union;
  return (v) => {
    if (!isPlain(v)) return false;
    const tag = v[key];
    if (tag === undefined) return keepUntagged;
    if (typeof tag !== 'string') return false;
    const variant = variants.get(tag);
    return variant ? variant(v) : lenient;
  };
}

/** A {@link dispatch}ed schema: the value is checked against the schema its dispatcher picks for it. */
function dispatchCheck(schema: z.ZodType): Compiled {
  const pick = dispatcherOf(schema);
  if (!pick) return undefined;
  return (v) => {
    const choice = pick(v);
    if ('keep' in choice) return true;
    if ('issue' in choice) return false;
    // Dispatchers pick among schemas built once, so each is compiled once too.
    const chosen = compile(choice.schema);
    return chosen?.(v) === true;
  };
}

const guards = new WeakMap<z.ZodType, { passes: (value: unknown) => boolean; inner: z.ZodType }>();

/**
 * Declares that `schema` accepts a value exactly when `passes(value)` and `inner` accepts it, returning what
 * `inner` returns — for schemas like `z.unknown().superRefine(rules).pipe(inner)`, whose refinement the quick
 * check cannot read. `passes` must say yes only where the refinement adds no issue. Returns `schema`.
 */
export function guardedBy<T extends z.ZodType>(
  schema: T,
  passes: (value: unknown) => boolean,
  inner: z.ZodType,
): T {
  guards.set(schema, { passes, inner });
  return schema;
}

/**
 * The quick check of `schema` (compiled once). Never throws: a value that makes it throw checks `false`.
 *
 * @example
 * const check = quickCheck(schemasFor('steps').interaction);
 * if (check(json)) use(json); else parseInteraction(json, 'steps');
 */
export function quickCheck(schema: z.ZodType): QuickCheck {
  let safe = safeChecks.get(schema);
  if (!safe) {
    const check = compile(schema) ?? nothing;
    safe = (value) => {
      try {
        return check(value);
      } catch {
        return false;
      }
    };
    safeChecks.set(schema, safe);
  }
  return safe;
}

const safeChecks = new WeakMap<z.ZodType, QuickCheck>();
