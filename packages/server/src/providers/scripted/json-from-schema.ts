/**
 * A small, deterministic JSON value valid for a JSON Schema: the scripted provider's answer when a request asks
 * for structured output. Covers what response schemas use (objects, arrays, enums, const, anyOf/oneOf/allOf,
 * local $ref, numeric and length bounds); every declared property is filled so the answer shows the shape.
 */
type Schema = Record<string, unknown>;

const MAX_DEPTH = 12;

export function jsonFromSchema(schema: Schema): unknown {
  return instance(schema, schema, 0);
}

function instance(schema: unknown, root: Schema, depth: number): unknown {
  if (!schema || typeof schema !== 'object' || depth > MAX_DEPTH) return null;
  const s = schema as Schema;
  if (typeof s.$ref === 'string') return instance(resolveRef(s.$ref, root), root, depth + 1);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const branch = firstOf(s.anyOf) ?? firstOf(s.oneOf);
  if (branch !== undefined) return instance({ ...without(s, 'anyOf', 'oneOf'), ...branch }, root, depth + 1);
  if (Array.isArray(s.allOf)) {
    const parts = s.allOf.map((part: Schema) =>
      typeof part?.$ref === 'string' ? resolveRef(part.$ref, root) : part,
    );
    return instance(mergeAll(without(s, 'allOf'), parts), root, depth + 1);
  }
  switch (typeOf(s)) {
    case 'object':
      return objectInstance(s, root, depth);
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 1;
      const count = Math.min(
        Math.max(min, 1),
        typeof s.maxItems === 'number' ? s.maxItems : Number.POSITIVE_INFINITY,
      );
      return Array.from({ length: count }, () => instance(s.items ?? {}, root, depth + 1));
    }
    case 'string':
      return stringInstance(s);
    case 'integer':
    case 'number':
      return numberInstance(s);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return s.properties ? objectInstance(s, root, depth) : null;
  }
}

function objectInstance(s: Schema, root: Schema, depth: number): Record<string, unknown> {
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, instance(v, root, depth + 1)]));
}

function stringInstance(s: Schema): string {
  const byFormat: Record<string, string> = {
    date: '2025-01-01',
    'date-time': '2025-01-01T00:00:00Z',
    time: '00:00:00',
    email: 'user@example.com',
    uri: 'https://example.com',
    url: 'https://example.com',
    uuid: '00000000-0000-4000-8000-000000000000',
  };
  let text = (typeof s.format === 'string' ? byFormat[s.format] : undefined) ?? 'example';
  if (typeof s.minLength === 'number' && text.length < s.minLength) text = text.padEnd(s.minLength, 'x');
  if (typeof s.maxLength === 'number') text = text.slice(0, s.maxLength);
  return text;
}

function numberInstance(s: Schema): number {
  const integer = typeOf(s) === 'integer';
  if (typeof s.minimum === 'number') return integer ? Math.ceil(s.minimum) : s.minimum;
  if (typeof s.exclusiveMinimum === 'number')
    return integer ? Math.floor(s.exclusiveMinimum) + 1 : s.exclusiveMinimum + 1;
  if (typeof s.maximum === 'number' && s.maximum < 0) return integer ? Math.floor(s.maximum) : s.maximum;
  return 0;
}

/** The first non-null type of `type` (a string or list); `nullable` alone does not make it null. */
function typeOf(s: Schema): string | undefined {
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null') ?? 'null';
  return undefined;
}

function resolveRef(ref: string, root: Schema): unknown {
  if (!ref.startsWith('#')) return {};
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    node = node && typeof node === 'object' ? (node as Schema)[key] : undefined;
  }
  return node ?? {};
}

function firstOf(list: unknown): Schema | undefined {
  return Array.isArray(list) && list.length > 0 ? (list[0] as Schema) : undefined;
}

function mergeAll(base: Schema, parts: unknown[]): Schema {
  const merged: Schema = { ...base };
  for (const part of parts) {
    const p = part as Schema;
    Object.assign(merged, p, {
      properties: { ...(merged.properties as Schema | undefined), ...(p.properties as Schema | undefined) },
    });
  }
  return merged;
}

function without(s: Schema, ...keys: string[]): Schema {
  return Object.fromEntries(Object.entries(s).filter(([k]) => !keys.includes(k)));
}
