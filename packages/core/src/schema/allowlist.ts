/**
 * Keep only the keywords of Gemini's schema subset (the OpenAPI 3.0 subset of `FunctionDeclaration`):
 * everything else (`$schema`, `$id`, `additionalProperties`, `readOnly`, `x-*`, …) is dropped. Earlier
 * transformations have already moved whatever carried meaning into the description.
 */
import type { JsonSchema } from './json-schema.ts';

export const GEMINI_KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'format',
  'description',
  'nullable',
  'enum',
  'properties',
  'required',
  'items',
  'anyOf',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
]);

export function allowlist(node: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(node).filter(([key]) => GEMINI_KEYWORDS.has(key)));
}
