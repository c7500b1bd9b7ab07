/**
 * A schema that allows anything (`{}`, `z.any()`, `z.unknown()`, unrepresentable types) has no type for
 * Gemini to check; it is kept untyped with a description saying so.
 */
import { appendDescription, type JsonSchema } from './json-schema.ts';

export function anyValue(node: JsonSchema): JsonSchema {
  const meaningful = Object.keys(node).filter((k) => k !== 'description' && k !== 'nullable');
  if (meaningful.length > 0) return node;
  return appendDescription({ ...node }, 'Any JSON value.');
}
