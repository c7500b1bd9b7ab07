/**
 * Checking a value against a schema without building zod's copy of it.
 *
 * Every schema here is a check, not a conversion: objects are loose (unknown keys kept), nothing has a
 * default or a transform that changes the value, so what a successful parse returns is a copy equal to its
 * input. A request is checked with the schema compiled into a plain validator (`z.compile`, which builds the
 * same checks as code and no output) and, when it passes, used as it is: the copy of every object and list
 * (five tools, the request, its configs) was most of what validating an agent request allocated.
 * A value that fails is parsed again by zod's ordinary parser, whose issues name the field.
 *
 * @example
 * if (conforms(schema, body)) use(body as Request);
 * else report(schema.safeParse(body).error);
 */
import { z } from 'zod';

const compiled = new WeakMap<z.ZodType, z.ZodType[]>();
const equivalents = new WeakMap<z.ZodType, z.ZodType[]>();

/**
 * Check `schema`'s values with `parts`: a value passes `schema` exactly when it passes every part. For a
 * schema zod would compile into a parser that builds its output anyway: a pipe (its second half) or an
 * object with a refinement (the refinement reads the output).
 */
export function checkedAs<T>(schema: z.ZodType<T>, parts: z.ZodType[]): z.ZodType<T> {
  equivalents.set(schema, parts);
  return schema;
}

/** Whether `value` passes `schema` (compiled on first use, then cached with the schema). */
export function conforms(schema: z.ZodType, value: unknown): boolean {
  let validators = compiled.get(schema);
  if (validators === undefined) {
    validators = (equivalents.get(schema) ?? [schema]).map((part) => z.compile(part));
    compiled.set(schema, validators);
  }
  for (const validator of validators) if (!z.validate(validator, value)) return false;
  return true;
}
