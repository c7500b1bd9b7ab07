/** `const: v` → `enum: [v]` (Gemini has no `const`). */
import type { JsonSchema } from './json-schema.ts';

export function constToEnum(node: JsonSchema): JsonSchema {
  if (!('const' in node)) return node;
  const { const: value, ...rest } = node;
  if (value === null) return { ...rest, nullable: true };
  return { ...rest, enum: [value] };
}
