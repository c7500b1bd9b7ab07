/** `type: [X, "null"]` → `type: X, nullable: true`; several non-null types → `anyOf` of single types. */
import type { JsonSchema } from './json-schema.ts';

export function typeArrays(node: JsonSchema): JsonSchema {
  if (!Array.isArray(node.type)) return node;
  const types = node.type.filter((t): t is string => typeof t === 'string');
  const nonNull = types.filter((t) => t !== 'null');
  const out: JsonSchema = { ...node };
  if (types.includes('null')) out.nullable = true;
  if (nonNull.length === 0) out.type = 'null';
  else if (nonNull.length === 1) out.type = nonNull[0];
  else {
    delete out.type;
    out.anyOf = nonNull.map((type) => ({ type }));
  }
  return out;
}
