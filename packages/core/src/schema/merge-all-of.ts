/** `allOf` (intersections) → one merged schema: properties and `required` united, other keywords first-wins. */
import { appendDescription, isSchemaObject, type JsonSchema } from './json-schema.ts';

export function mergeAllOf(node: JsonSchema): JsonSchema {
  if (!Array.isArray(node.allOf)) return node;
  const { allOf, ...rest } = node;
  let merged: JsonSchema = { ...rest };
  for (const part of allOf) {
    if (!isSchemaObject(part)) continue;
    const { properties, required, description, ...others } = part;
    if (isSchemaObject(properties)) {
      merged.properties = { ...(isSchemaObject(merged.properties) ? merged.properties : {}), ...properties };
    }
    if (Array.isArray(required)) {
      const current = Array.isArray(merged.required) ? merged.required : [];
      merged.required = [...new Set([...current, ...required])];
    }
    if (typeof description === 'string') merged = appendDescription(merged, description);
    for (const [key, value] of Object.entries(others)) if (!(key in merged)) merged[key] = value;
  }
  return merged;
}
