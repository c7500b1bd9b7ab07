/**
 * Records / maps: Gemini has no `additionalProperties`, `patternProperties` or `propertyNames`. A schema-valued
 * `additionalProperties` (e.g. `z.record(z.string(), z.number())`) becomes an object whose description says what
 * every value (and key) must be. Boolean `additionalProperties` is dropped later with the other unsupported
 * keywords.
 */
import { describeBriefly } from './describe.ts';
import { appendDescription, isSchemaObject, type JsonSchema } from './json-schema.ts';

export function records(node: JsonSchema): JsonSchema {
  const { additionalProperties, patternProperties, propertyNames } = node;
  const valueSchema = isSchemaObject(additionalProperties) ? additionalProperties : undefined;
  const patterns = isSchemaObject(patternProperties) ? patternProperties : undefined;
  const keys = isSchemaObject(propertyNames) ? propertyNames : undefined;
  if (!valueSchema && !patterns && !keys) return node;
  const out: JsonSchema = { ...node };
  delete out.additionalProperties;
  delete out.patternProperties;
  delete out.propertyNames;
  if (out.type === undefined) out.type = 'object';
  const named = isSchemaObject(out.properties) && Object.keys(out.properties).length > 0;
  const keyText =
    keys && Object.keys(keys).some((k) => k !== 'type') ? ` Keys must be ${describeBriefly(keys)}.` : '';
  if (valueSchema) {
    const lead = named ? 'Other keys are allowed too' : 'An object with free-form keys';
    appendDescription(out, `${lead}; each value must be ${describeBriefly(valueSchema)}.${keyText}`);
  } else if (keyText) appendDescription(out, keyText);
  if (patterns) {
    for (const [pattern, schema] of Object.entries(patterns)) {
      if (isSchemaObject(schema)) {
        appendDescription(
          out,
          `Keys matching /${pattern}/ must have values that are ${describeBriefly(schema)}.`,
        );
      }
    }
  }
  return out;
}
