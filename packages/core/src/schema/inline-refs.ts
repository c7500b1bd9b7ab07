/**
 * Inline every `$ref` (Gemini rejects `$ref`/`$defs`). A reference is a JSON pointer into the document
 * (`#/$defs/X`, `#/definitions/X`, `#/properties/a`, or `#` for the root). Recursive schemas are expanded
 * until the same reference appears `maxDepth` times in one branch; deeper levels become an object with a
 * "(recursion truncated)" description. The `$defs`/`definitions` tables are dropped afterwards.
 */
import { SchemaConversionError } from '../errors.ts';
import { appendDescription, isSchemaObject, type JsonSchema } from './json-schema.ts';

export interface InlineRefsOptions {
  /** How many times one reference may be expanded inside itself (default 3). */
  maxDepth?: number;
}

/** Keywords whose values are data (never schemas): not walked. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'example']);
/** Keywords whose values map names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas']);
const TABLES = new Set(['$defs', 'definitions']);
const PRIMITIVE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null']);

function resolvePointer(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#')) throw new SchemaConversionError(`External $ref is not supported: ${ref}`);
  const path = ref.slice(1);
  if (path === '' || path === '/') return root;
  let node: unknown = root;
  for (const raw of path.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = isSchemaObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
    if (node === undefined) throw new SchemaConversionError(`Unresolvable $ref: ${ref}`);
  }
  if (typeof node === 'boolean') return node ? {} : { not: {} };
  if (!isSchemaObject(node)) throw new SchemaConversionError(`$ref does not point at a schema: ${ref}`);
  return node;
}

function truncated(target: JsonSchema, siblings: JsonSchema): JsonSchema {
  const type = typeof target.type === 'string' && PRIMITIVE_TYPES.has(target.type) ? target.type : 'object';
  const node: JsonSchema = { type };
  const description = siblings.description ?? target.description;
  if (typeof description === 'string') node.description = description;
  return appendDescription(node, '(recursion truncated: deeper levels are not described)');
}

export function inlineRefs(root: JsonSchema, options: InlineRefsOptions = {}): JsonSchema {
  const maxDepth = options.maxDepth ?? 3;

  const expand = (node: unknown, chain: readonly string[]): unknown => {
    if (Array.isArray(node)) return node.map((entry) => expand(entry, chain));
    if (!isSchemaObject(node)) return node;
    if (typeof node.$ref === 'string') {
      const { $ref: ref, ...siblings } = node as JsonSchema & { $ref: string };
      const target = resolvePointer(root, ref);
      if (chain.filter((r) => r === ref).length >= maxDepth) return truncated(target, siblings);
      const { $defs: _d, definitions: _f, ...body } = target;
      return expand({ ...body, ...siblings }, [...chain, ref]);
    }
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (TABLES.has(key)) continue;
      if (DATA_KEYWORDS.has(key)) out[key] = value;
      else if (SCHEMA_MAPS.has(key) && isSchemaObject(value)) {
        out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, expand(sub, chain)]));
      } else out[key] = expand(value, chain);
    }
    return out;
  };

  return expand(root, []) as JsonSchema;
}
