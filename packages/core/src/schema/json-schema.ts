/** Plain JSON Schema values and the small helpers every transformation shares. */

/** A JSON Schema node (any draft). Transformations treat it as plain data. */
export type JsonSchema = Record<string, unknown>;

export const isSchemaObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Append a sentence to a node's description (creating it when absent). Returns the node. */
export function appendDescription(node: JsonSchema, sentence: string): JsonSchema {
  const text = sentence.trim();
  if (text === '') return node;
  const current = typeof node.description === 'string' ? node.description.trim() : '';
  if (current === '') node.description = text;
  else node.description = `${current}${/[.!?:)]$/.test(current) ? '' : '.'} ${text}`;
  return node;
}

/** A compact, readable rendering of a JSON value for descriptions. */
export const showValue = (value: unknown): string =>
  typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
