/**
 * Object cleanup: `required` lists only declared properties, without duplicates, and is omitted when empty
 * (Gemini rejects `required: []`); an empty `properties` map is omitted too.
 */
import { isSchemaObject, type JsonSchema } from './json-schema.ts';

export function objects(node: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...node };
  if (isSchemaObject(out.properties) && Object.keys(out.properties).length === 0) delete out.properties;
  if (!('required' in out)) return out;
  const { required: list, ...rest } = out;
  const declared = isSchemaObject(rest.properties) ? Object.keys(rest.properties) : [];
  const names = Array.isArray(list)
    ? [...new Set(list.filter((n): n is string => typeof n === 'string' && declared.includes(n)))]
    : [];
  return names.length > 0 ? { ...rest, required: names } : rest;
}
