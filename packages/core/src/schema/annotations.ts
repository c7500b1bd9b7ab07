/**
 * Annotations Gemini would ignore or reject, kept for the model in the description: `title` (when there is no
 * description), `default`, `examples`/`example`, `deprecated`.
 */
import { appendDescription, type JsonSchema, showValue } from './json-schema.ts';

export function annotations(node: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...node };
  const { title, default: defaultValue, examples, example, deprecated } = node;
  delete out.title;
  delete out.default;
  delete out.examples;
  delete out.example;
  delete out.deprecated;
  if (typeof title === 'string' && typeof out.description !== 'string') out.description = title;
  if (defaultValue !== undefined) appendDescription(out, `Default: ${showValue(defaultValue)}.`);
  const sample = Array.isArray(examples) ? examples[0] : example;
  if (sample !== undefined) appendDescription(out, `Example: ${showValue(sample)}.`);
  if (deprecated === true) appendDescription(out, 'Deprecated.');
  return out;
}
