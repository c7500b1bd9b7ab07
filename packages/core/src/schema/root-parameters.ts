/**
 * Function parameters must be an object at the root. A root union of objects (e.g. a discriminated union as
 * the whole argument list) is flattened into one object: every property of every variant, required only when
 * every variant requires it, and the variants spelled out in the description. The arguments are still
 * validated against the original schema, so a wrong combination goes back to the model with a precise error.
 */
import { SchemaConversionError } from '../errors.ts';
import { appendDescription, isSchemaObject, type JsonSchema, showValue } from './json-schema.ts';

function mergeProperty(variants: JsonSchema[]): JsonSchema {
  const distinct = [...new Map(variants.map((v) => [JSON.stringify(v), v])).values()];
  if (distinct.length === 1 && distinct[0]) return distinct[0];
  if (distinct.every((v) => v.type === 'string' && Array.isArray(v.enum))) {
    return { type: 'string', enum: [...new Set(distinct.flatMap((v) => v.enum as string[]))] };
  }
  return { anyOf: distinct };
}

/** The property every variant pins to one distinct string value, if any. */
function findDiscriminator(variants: JsonSchema[]): string | undefined {
  const first = variants[0];
  if (!first || !isSchemaObject(first.properties)) return undefined;
  return Object.keys(first.properties).find((name) =>
    variants.every((v) => {
      const p = isSchemaObject(v.properties) ? v.properties[name] : undefined;
      return isSchemaObject(p) && Array.isArray(p.enum) && p.enum.length === 1;
    }),
  );
}

function flattenUnion(root: JsonSchema, variants: JsonSchema[]): JsonSchema {
  const byName = new Map<string, JsonSchema[]>();
  for (const v of variants) {
    for (const [name, schema] of Object.entries(isSchemaObject(v.properties) ? v.properties : {})) {
      if (isSchemaObject(schema)) byName.set(name, [...(byName.get(name) ?? []), schema]);
    }
  }
  const requiredSets = variants.map(
    (v) => new Set(Array.isArray(v.required) ? (v.required as string[]) : []),
  );
  const required = [...byName.keys()].filter((name) => requiredSets.every((set) => set.has(name)));
  const out: JsonSchema = { type: 'object' };
  if (typeof root.description === 'string') out.description = root.description;
  out.properties = Object.fromEntries([...byName].map(([name, list]) => [name, mergeProperty(list)]));
  if (required.length > 0) out.required = required;
  const discriminator = findDiscriminator(variants);
  const lines = variants.map((v, i) => {
    const needs = [...(requiredSets[i] ?? [])].filter((n) => n !== discriminator);
    const props = isSchemaObject(v.properties) ? v.properties : {};
    const pinnedSchema = discriminator ? props[discriminator] : undefined;
    const pinned =
      isSchemaObject(pinnedSchema) && Array.isArray(pinnedSchema.enum) ? pinnedSchema.enum[0] : undefined;
    const label = discriminator ? `${discriminator}=${showValue(pinned)}` : `variant ${i + 1}`;
    const allowed = Object.keys(props).filter((n) => n !== discriminator);
    const needText = needs.length ? `requires ${needs.join(', ')}` : 'requires nothing else';
    const extra = allowed.filter((n) => !needs.includes(n));
    return `${label} ${needText}${extra.length ? ` (optional: ${extra.join(', ')})` : ''}`;
  });
  const lead = discriminator
    ? `Choose a variant with "${discriminator}":`
    : 'The arguments must match exactly one of these variants:';
  return appendDescription(out, `${lead} ${lines.join('; ')}.`);
}

/**
 * Root rules for function parameters (after `toGeminiSchema`). Returns `undefined` for a function without
 * parameters (an object with no properties and no description).
 */
export function rootParameters(schema: JsonSchema): JsonSchema | undefined {
  let root = schema;
  if (Array.isArray(root.anyOf)) {
    const variants = root.anyOf.filter(isSchemaObject);
    if (variants.length === 0 || !variants.every((v) => v.type === 'object')) {
      throw new SchemaConversionError(
        'Tool parameters must be an object schema or a union of object schemas.',
      );
    }
    root = flattenUnion(root, variants);
  }
  if (root.type !== 'object') {
    throw new SchemaConversionError(
      `Tool parameters must be an object schema (got ${JSON.stringify(root.type ?? 'no type')}).`,
    );
  }
  const { nullable: _n, ...rest } = root;
  const hasProperties = isSchemaObject(rest.properties) && Object.keys(rest.properties).length > 0;
  if (!hasProperties && typeof rest.description !== 'string') return undefined;
  return rest;
}
