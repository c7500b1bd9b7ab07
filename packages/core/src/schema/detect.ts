/**
 * What kind of schema a value is: zod v4 (has `_zod`; includes `zod/v4` shipped inside zod 3.25), zod v3
 * (has `_def` but no `_zod`), or a raw JSON Schema object (possibly wrapped by `jsonSchema()`).
 */
import { isSchemaObject, type JsonSchema } from './json-schema.ts';

/** A zod v4 schema, structurally (so schemas from any zod copy match). */
export interface ZodV4Like<Output = unknown> {
  _zod: { output: Output; def: { type: string } };
  safeParse(
    value: unknown,
  ): { success: true; data: Output } | { success: false; error: { issues: unknown[] } };
}

/** A zod v3 schema, structurally. */
export interface ZodV3Like<Output = unknown> {
  _def: unknown;
  _output: Output;
  safeParse(
    value: unknown,
  ): { success: true; data: Output } | { success: false; error: { issues: unknown[] } };
}

declare const typeTag: unique symbol;

/** A raw JSON Schema, optionally carrying the TypeScript type of the values it describes (see `jsonSchema()`). */
export interface TypedJsonSchema<T = unknown> {
  readonly kind: 'json-schema';
  readonly schema: JsonSchema;
  readonly [typeTag]?: T;
}

/** Anything accepted where a schema is expected. */
export type SchemaSource = ZodV4Like | ZodV3Like | TypedJsonSchema | JsonSchema;

/** The value type a schema describes (`unknown`-ish record for untyped JSON Schema). */
export type InferSchema<S> = S extends { _zod: { output: infer O } }
  ? O
  : S extends { _output: infer O; _def: unknown }
    ? O
    : S extends TypedJsonSchema<infer T>
      ? unknown extends T
        ? Record<string, unknown>
        : T
      : Record<string, unknown>;

/**
 * Wrap a raw JSON Schema, optionally typing the values it describes.
 *
 * @example
 * const params = jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
 */
export function jsonSchema<T = Record<string, unknown>>(schema: JsonSchema): TypedJsonSchema<T> {
  return { kind: 'json-schema', schema };
}

export type SchemaKind = 'zod4' | 'zod3' | 'json';

export function isZodV4(value: unknown): value is ZodV4Like {
  return isSchemaObject(value) && isSchemaObject(value._zod);
}

export function isZodV3(value: unknown): value is ZodV3Like {
  return (
    isSchemaObject(value) &&
    !('_zod' in value) &&
    isSchemaObject(value._def) &&
    typeof value.safeParse === 'function'
  );
}

const isTypedJsonSchema = (value: unknown): value is TypedJsonSchema =>
  isSchemaObject(value) && value.kind === 'json-schema' && isSchemaObject(value.schema);

export function schemaKind(value: unknown): SchemaKind | undefined {
  if (isZodV4(value)) return 'zod4';
  if (isZodV3(value)) return 'zod3';
  if (isTypedJsonSchema(value) || isSchemaObject(value)) return 'json';
  return undefined;
}

/** The raw JSON Schema of a `json` source (unwrapping `jsonSchema()`). */
export const rawJsonSchema = (value: TypedJsonSchema | JsonSchema): JsonSchema =>
  isTypedJsonSchema(value) ? value.schema : value;
