/**
 * Tuples (`prefixItems`, or draft-07 `items: [...]`) → an array whose `items` accepts each position's schema,
 * with the exact length and the order spelled out in the description.
 */

import { describeBriefly } from './describe.ts';
import { appendDescription, isSchemaObject, type JsonSchema } from './json-schema.ts';

export function tuples(node: JsonSchema): JsonSchema {
  const positions = Array.isArray(node.prefixItems)
    ? node.prefixItems
    : Array.isArray(node.items)
      ? node.items
      : undefined;
  if (!positions) return node;
  const { prefixItems: _p, items: rest, additionalItems: _ai, ...others } = node;
  const schemas = positions.filter(isSchemaObject);
  const distinct = [...new Map(schemas.map((s) => [JSON.stringify(s), s])).values()];
  const out: JsonSchema = { ...others, type: 'array' };
  const extra = Array.isArray(node.prefixItems) && isSchemaObject(rest) ? rest : undefined;
  const all = extra ? [...distinct, extra] : distinct;
  if (all.length === 1 && all[0]) out.items = all[0];
  else if (all.length > 1) out.items = { anyOf: all };
  if (!extra) {
    out.minItems = schemas.length;
    out.maxItems = schemas.length;
  }
  const order = schemas.map(describeBriefly).join(', ');
  return appendDescription(
    out,
    `A tuple, in this order: [${order}]${extra ? ', then any number of further items' : ''}.`,
  );
}
