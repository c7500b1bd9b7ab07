/**
 * What every schema factory is built for: a wire revision and a strictness mode.
 *
 * - `strict`: validating a create request on our server. Unknown content/step/tool `type`s and values
 *   outside a listed enum are errors, as on the real API.
 * - `lenient`: parsing responses and events (clients). Unknown `type`s are kept as opaque objects and
 *   enums are open, so a newer server never breaks an older client.
 *
 * Unknown extra fields pass through in both modes.
 */
import { z } from 'zod';
import type { Revision } from '../revision.ts';

export type SchemaMode = 'strict' | 'lenient';

export interface SchemaContext {
  readonly revision: Revision;
  readonly mode: SchemaMode;
}

/** Custom-issue payloads the issue formatter (issues.ts) turns into messages. */
export type IssueParams =
  | { kind: 'unsupported'; key: string; value: string }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'expected'; expected: string }
  | { kind: 'rule'; message: string };

/** A closed enum in strict mode, any string in lenient mode (typed as the enum either way). */
export function openEnum<const T extends string>(ctx: SchemaContext, values: readonly T[]): z.ZodType<T> {
  if (ctx.mode === 'lenient') return z.string() as unknown as z.ZodType<T>;
  return z.enum(values as [T, ...T[]]);
}

/**
 * An enum compared case-insensitively in strict mode (any string in lenient mode). The value is kept as
 * sent. Used where the docs spell one enum both ways, e.g. `image_size` "2k" (seed) vs "2K" (reference)
 * and `response_modalities` ["IMAGE"] (seed) vs "image" (reference).
 */
export function caseInsensitiveEnum(ctx: SchemaContext, values: readonly string[]): z.ZodType<string> {
  if (ctx.mode === 'lenient') return z.string();
  const allowed = new Set(values.map((v) => v.toLowerCase()));
  return z.string().refine((v) => allowed.has(v.toLowerCase()), {
    params: { kind: 'enum', values } satisfies IssueParams,
  });
}

/** Pick the revision's list where the reference lists different values per revision. */
export const byRevision = <T>(ctx: SchemaContext, legacy: T, steps: T): T =>
  ctx.revision === 'legacy' ? legacy : steps;

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A JSON object with any values (JSON Schemas, function arguments, metadata), kept as it is: not recursed
 * into, not copied. (`z.record(z.string(), z.unknown())` would check and copy every key: most of what a
 * function tool's validation cost.)
 */
export const jsonObject = (): z.ZodType<Record<string, unknown>> =>
  z.custom<Record<string, unknown>>(isPlainObject, {
    params: { kind: 'expected', expected: 'an object' } satisfies IssueParams,
  });
