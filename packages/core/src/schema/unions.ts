/**
 * `anyOf` simplifications Gemini handles better: identical branches are deduplicated, a union of enums of one
 * type (e.g. `z.union([z.literal('a'), z.literal('b')])`) becomes one enum, and a single branch is merged into
 * its parent. Other unions — discriminated ones included — stay `anyOf`.
 */
import { isSchemaObject, type JsonSchema } from './json-schema.ts';
import { mergeBranch } from './nullable.ts';

const isPlainEnum = (s: JsonSchema): boolean =>
  Array.isArray(s.enum) && Object.keys(s).every((k) => k === 'type' || k === 'enum' || k === 'description');

export function unions(node: JsonSchema): JsonSchema {
  if (!Array.isArray(node.anyOf)) return node;
  const seen = new Set<string>();
  const branches = node.anyOf.filter(isSchemaObject).filter((b) => {
    const key = JSON.stringify(b);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const { anyOf: _a, ...rest } = node;
  const types = new Set(branches.map((b) => b.type));
  if (branches.length > 1 && branches.every(isPlainEnum) && types.size === 1) {
    const values = [...new Set(branches.flatMap((b) => b.enum as unknown[]))];
    const merged: JsonSchema = { enum: values };
    if (branches[0]?.type !== undefined) merged.type = branches[0].type;
    return mergeBranch(rest, merged);
  }
  if (branches.length === 1 && branches[0]) return mergeBranch(rest, branches[0]);
  return { ...rest, anyOf: branches };
}
