/** Post-order traversal: rebuild a schema bottom-up, applying a transformation to every subschema. */
import { isSchemaObject, type JsonSchema } from './json-schema.ts';

/** Keywords holding one subschema. */
const SINGLE = ['additionalProperties', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];
/** Keywords holding a list of subschemas. */
const LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
/** Keywords holding a name → subschema map. */
const MAPS = ['properties', 'patternProperties', 'dependentSchemas'];

export interface WalkContext {
  /** Keywords and names from the root to this node, e.g. `['properties', 'a', 'items']`. */
  path: readonly string[];
}

export type NodeTransform = (node: JsonSchema, ctx: WalkContext) => JsonSchema;

/** Apply `transform` to every subschema, children before parents. Returns a new tree. */
export function mapSchema(
  node: JsonSchema,
  transform: NodeTransform,
  path: readonly string[] = [],
): JsonSchema {
  const out: JsonSchema = { ...node };
  for (const key of SINGLE) {
    const sub = out[key];
    if (isSchemaObject(sub)) out[key] = mapSchema(sub, transform, [...path, key]);
    else if (key === 'items' && Array.isArray(sub)) {
      out[key] = sub.map((s, i) =>
        isSchemaObject(s) ? mapSchema(s, transform, [...path, key, String(i)]) : s,
      );
    }
  }
  for (const key of LISTS) {
    const list = out[key];
    if (Array.isArray(list)) {
      out[key] = list.map((s, i) =>
        isSchemaObject(s) ? mapSchema(s, transform, [...path, key, String(i)]) : s,
      );
    }
  }
  for (const key of MAPS) {
    const map = out[key];
    if (isSchemaObject(map)) {
      out[key] = Object.fromEntries(
        Object.entries(map).map(([name, s]) => [
          name,
          isSchemaObject(s) ? mapSchema(s, transform, [...path, key, name]) : s,
        ]),
      );
    }
  }
  return transform(out, { path });
}
