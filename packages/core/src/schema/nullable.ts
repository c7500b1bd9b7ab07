/**
 * Nullable: `oneOf` is read as `anyOf` (Gemini knows only `anyOf`); `null` branches of an `anyOf` and `null`
 * in an `enum` become `nullable: true`. An `anyOf` left with one branch is merged into its parent.
 */
import { appendDescription, isSchemaObject, type JsonSchema } from './json-schema.ts';

const isNullSchema = (s: unknown): boolean =>
  isSchemaObject(s) &&
  (s.type === 'null' || (Array.isArray(s.enum) && s.enum.length === 1 && s.enum[0] === null));

/** Merge a lone branch into the node holding it; the node's own description comes first. */
export function mergeBranch(node: JsonSchema, branch: JsonSchema): JsonSchema {
  const { description: outer, ...rest } = node;
  const merged: JsonSchema = { ...branch, ...rest };
  delete merged.description;
  if (typeof outer === 'string') appendDescription(merged, outer);
  if (typeof branch.description === 'string') appendDescription(merged, branch.description);
  return merged;
}

export function nullable(node: JsonSchema): JsonSchema {
  let out = node;
  if (Array.isArray(out.oneOf)) {
    const { oneOf, ...rest } = out;
    out = { ...rest, anyOf: [...(Array.isArray(rest.anyOf) ? rest.anyOf : []), ...oneOf] };
  }
  if (Array.isArray(out.enum) && out.enum.includes(null)) {
    out = { ...out, enum: out.enum.filter((v) => v !== null), nullable: true };
  }
  if (Array.isArray(out.anyOf)) {
    const branches = out.anyOf.filter(isSchemaObject);
    const kept = branches.filter((b) => !isNullSchema(b));
    if (kept.length < branches.length) out = { ...out, nullable: true };
    if (kept.length === 1 && kept[0]) {
      const { anyOf: _a, ...rest } = out;
      out = mergeBranch(rest, kept[0]);
    } else out = { ...out, anyOf: kept };
  }
  return out;
}
