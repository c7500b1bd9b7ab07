/** Short human-readable renderings of (already converted) schemas, used inside descriptions. */
import { isSchemaObject, type JsonSchema, showValue } from './json-schema.ts';

/** `string`, `one of "a" | "b"`, `array of number`, `object` … or compact JSON for anything richer. */
export function describeBriefly(schema: JsonSchema): string {
  const keys = Object.keys(schema).filter((k) => k !== 'description');
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(showValue).join(' | ')}`;
  if (typeof schema.type === 'string' && keys.length === 1) return schema.type;
  if (schema.type === 'array' && isSchemaObject(schema.items) && keys.length === 2) {
    return `array of ${describeBriefly(schema.items)}`;
  }
  if (keys.length === 0) return 'any value';
  return JSON.stringify(schema);
}
