/**
 * Open unions: a union keyed by a discriminator (`type`, `event_type`) that never swallows errors.
 *
 * A known tag is validated against exactly its variant, so errors point inside it (`input[1].call_id`).
 * An unknown tag is kept as an opaque object in lenient mode and rejected in strict mode with the real
 * API's message ("The value 'x' is not supported for 'type' at 'tools[0]'."). There is no fallback
 * branch that could hide a known variant's failure.
 */
import { z } from 'zod';
import { conforms } from './conforms.ts';
import { type IssueParams, isPlainObject, type SchemaMode } from './context.ts';

/** A raw issue to report at a path relative to the value being dispatched. */
export interface IssueInit {
  code: 'invalid_type' | 'custom';
  path?: PropertyKey[];
  expected?: string;
  input?: unknown;
  params?: IssueParams;
  message?: string;
}

/** What a dispatcher decided for a value. */
export type Choice = { schema: z.ZodType } | { keep: true } | { issue: IssueInit };

export const KEEP: Choice = { keep: true };

type AddIssueArg = Parameters<z.core.$RefinementCtx['addIssue']>[0];

/**
 * Validate a value with the schema `pick` chooses for it. The chosen schema's issues are re-reported
 * with their paths, so a parent object prefixes them as usual. `T` is the caller's declared output.
 */
export function dispatch<T>(pick: (value: unknown) => Choice): z.ZodType<T> {
  return z.unknown().transform((value, ctx) => {
    const choice = pick(value);
    if ('keep' in choice) return value as T;
    if ('issue' in choice) {
      const { path = [], ...rest } = choice.issue;
      const input = 'input' in choice.issue ? choice.issue.input : value;
      ctx.addIssue({ ...rest, path, input, message: rest.message ?? '' } as AddIssueArg);
      return z.NEVER;
    }
    // A value that passes is kept as it is (conforms.ts); only a failing one is parsed, for its issues.
    if (conforms(choice.schema, value)) return value as T;
    const result = choice.schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data as T;
    for (const issue of result.error.issues) {
      // `input` must be present (even undefined) or addIssue would substitute the whole value.
      ctx.addIssue({ ...issue, path: [...issue.path], input: issue.input } as AddIssueArg);
    }
    return z.NEVER;
  }) as unknown as z.ZodType<T>;
}

export interface OpenUnionOptions {
  mode: SchemaMode;
  /** The discriminator; `type` unless told. */
  key?: string;
  /** Keep objects without the discriminator as they are (e.g. untyped SDK 1.33 annotations). */
  keepUntagged?: boolean;
}

/** A union of `variants` keyed by their discriminator value, open to unknown tags in lenient mode. */
export function openUnion<V extends Record<string, z.ZodType>>(
  variants: V,
  options: OpenUnionOptions,
): z.ZodType<z.output<V[keyof V]>> {
  const key = options.key ?? 'type';
  return dispatch<z.output<V[keyof V]>>((value) => {
    if (!isPlainObject(value)) return { issue: { code: 'invalid_type', expected: 'object' } };
    const tag = value[key];
    if (tag === undefined) {
      if (options.keepUntagged) return KEEP;
      return { issue: { code: 'invalid_type', expected: 'string', path: [key], input: undefined } };
    }
    if (typeof tag !== 'string') {
      return { issue: { code: 'invalid_type', expected: 'string', path: [key], input: tag } };
    }
    const variant = Object.hasOwn(variants, tag) ? variants[tag] : undefined;
    if (variant) return { schema: variant };
    if (options.mode === 'lenient') return KEEP;
    return {
      issue: { code: 'custom', path: [key], input: tag, params: { kind: 'unsupported', key, value: tag } },
    };
  });
}
