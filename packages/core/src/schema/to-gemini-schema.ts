/**
 * The schema converter: zod v4, zod v3 or JSON Schema → a schema Gemini accepts. One transformation per file:
 *
 * 1. `to-json-schema` (source → JSON Schema), 2. `inline-refs` (no `$ref`/`$defs`; recursion truncated),
 * 3. structural pass, every node children first: `merge-all-of`, `type-arrays`, `nullable`, `const-to-enum`,
 *    `unions`, `tuples`, `records`,
 * 4. keyword pass, every node children first: `enums`, `formats`, `constraints`, `annotations`, `allowlist`,
 *    `objects`, `any-value`.
 *
 * @example
 * toGeminiSchema(z.object({ when: z.date(), tags: z.array(z.string().min(2)).optional() }));
 * // { type: 'object', properties: { when: { type: 'string', format: 'date-time' },
 * //   tags: { type: 'array', items: { type: 'string', description: 'At least 2 characters.' } } }, required: ['when'] }
 */
import { allowlist } from './allowlist.ts';
import { annotations } from './annotations.ts';
import { anyValue } from './any-value.ts';
import { constToEnum } from './const-to-enum.ts';
import { constraints } from './constraints.ts';
import type { SchemaSource } from './detect.ts';
import { enums } from './enums.ts';
import { formats } from './formats.ts';
import { inlineRefs } from './inline-refs.ts';
import type { JsonSchema } from './json-schema.ts';
import { mergeAllOf } from './merge-all-of.ts';
import { nullable } from './nullable.ts';
import { objects } from './objects.ts';
import { records } from './records.ts';
import { toJsonSchema } from './to-json-schema.ts';
import { tuples } from './tuples.ts';
import { typeArrays } from './type-arrays.ts';
import { unions } from './unions.ts';
import { mapSchema, type NodeTransform } from './walk.ts';

export interface GeminiSchemaOptions {
  /** How many times a recursive schema is expanded inside itself before it is truncated (default 3). */
  maxRecursionDepth?: number;
}

/** Pass 1: reshape the tree (intersections, nullability, unions, tuples, maps) in plain JSON Schema terms. */
export const STRUCTURAL_TRANSFORMS: readonly NodeTransform[] = [
  mergeAllOf,
  typeArrays,
  nullable,
  constToEnum,
  unions,
  tuples,
  records,
];

/** Pass 2: lower the keywords to Gemini's subset, moving what it would ignore into descriptions. */
export const KEYWORD_TRANSFORMS: readonly NodeTransform[] = [
  enums,
  formats,
  constraints,
  annotations,
  allowlist,
  objects,
  anyValue,
];

const pipeline =
  (steps: readonly NodeTransform[]): NodeTransform =>
  (node, ctx) =>
    steps.reduce((acc, step) => step(acc, ctx), node);

/** Convert any supported schema source into Gemini's schema subset. */
export function toGeminiSchema(source: SchemaSource, options: GeminiSchemaOptions = {}): JsonSchema {
  const json = toJsonSchema(source);
  const inlined = inlineRefs(json, { maxDepth: options.maxRecursionDepth ?? 3 });
  const reshaped = mapSchema(inlined, pipeline(STRUCTURAL_TRANSFORMS));
  return mapSchema(reshaped, pipeline(KEYWORD_TRANSFORMS));
}
