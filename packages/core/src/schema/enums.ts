/**
 * Gemini enums are string-only. String enums get `type: "string"`; enums of numbers, booleans or mixed values
 * become their base type with the allowed values in the description ("Must be one of: 1, 2, 3.").
 */
import { appendDescription, type JsonSchema, showValue } from './json-schema.ts';

function baseType(values: unknown[]): string | undefined {
  if (values.every((v) => typeof v === 'number'))
    return values.every(Number.isInteger) ? 'integer' : 'number';
  if (values.every((v) => typeof v === 'boolean')) return 'boolean';
  return undefined;
}

export function enums(node: JsonSchema): JsonSchema {
  if (!Array.isArray(node.enum)) return node;
  const values = [...new Set(node.enum)];
  if (values.every((v) => typeof v === 'string')) return { ...node, type: 'string', enum: values };
  const { enum: _e, ...rest } = node;
  const out: JsonSchema = { ...rest };
  const type = baseType(values);
  if (type && out.type === undefined) out.type = type;
  const phrase =
    values.length === 1
      ? `Must be ${showValue(values[0])}.`
      : `Must be one of: ${values.map(showValue).join(', ')}.`;
  return appendDescription(out, phrase);
}
