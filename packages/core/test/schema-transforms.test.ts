/** Unit tests of individual schema transformations and of the detection of schema kinds. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod-v3';
import { z as z34 } from 'zod-v3/v4';
import {
  jsonSchema,
  rootParameters,
  SchemaConversionError,
  schemaKind,
  toGeminiSchema,
} from '../src/index.ts';
import { constraints } from '../src/schema/constraints.ts';
import { inlineRefs } from '../src/schema/inline-refs.ts';
import { nullable } from '../src/schema/nullable.ts';
import { toJsonSchema } from '../src/schema/to-json-schema.ts';

describe('schema kind detection', () => {
  it('tells zod v4, zod v3, zod/v4-inside-3.25 and JSON Schema apart', () => {
    expect(schemaKind(z.object({ a: z.string() }))).toBe('zod4');
    expect(schemaKind(z3.object({ a: z3.string() }))).toBe('zod3');
    expect(schemaKind(z34.object({ a: z34.string() }))).toBe('zod4');
    expect(schemaKind({ type: 'object' })).toBe('json');
    expect(schemaKind(jsonSchema({ type: 'object' }))).toBe('json');
    expect(schemaKind('nope')).toBeUndefined();
  });

  it('converts a zod v4 schema with z.toJSONSchema (never the empty {} zod-to-json-schema gives for v4)', () => {
    const out = toJsonSchema(z.object({ a: z.string() }));
    expect(out.properties).toEqual({ a: { type: 'string' } });
    const v4in325 = toJsonSchema(z34.object({ a: z34.number() }));
    expect(v4in325.properties).toEqual({ a: { type: 'number' } });
  });

  it('refuses values that are not schemas', () => {
    expect(() => toJsonSchema(42 as never)).toThrow(SchemaConversionError);
  });
});

describe('inline-refs', () => {
  it('inlines pointers into $defs, definitions, properties and the root', () => {
    const out = inlineRefs({
      type: 'object',
      properties: { a: { $ref: '#/$defs/A' }, b: { $ref: '#/properties/a' } },
      $defs: { A: { type: 'string', description: 'an A' } },
    });
    expect(out).toEqual({
      type: 'object',
      properties: { a: { type: 'string', description: 'an A' }, b: { type: 'string', description: 'an A' } },
    });
  });

  it('expands a recursive reference maxDepth times, then truncates', () => {
    const schema = {
      $defs: { n: { type: 'object', properties: { next: { $ref: '#/$defs/n' } } } },
      $ref: '#/$defs/n',
    };
    const depth = (s: unknown): number => {
      const next = (s as { properties?: { next?: unknown } }).properties?.next;
      return next ? 1 + depth(next) : 0;
    };
    expect(depth(inlineRefs(schema, { maxDepth: 1 }))).toBe(1);
    expect(depth(inlineRefs(schema, { maxDepth: 4 }))).toBe(4);
    const deepest = JSON.stringify(inlineRefs(schema, { maxDepth: 2 }));
    expect(deepest).toContain('(recursion truncated');
  });

  it('keeps sibling keywords of a $ref (they win over the target)', () => {
    const out = inlineRefs({
      properties: { x: { $ref: '#/$defs/X', description: 'mine' } },
      $defs: { X: { type: 'integer', description: 'theirs' } },
    });
    expect(out.properties).toEqual({ x: { type: 'integer', description: 'mine' } });
  });

  it('does not treat data (enum/default) as schemas, and fails clearly on unresolvable refs', () => {
    expect(inlineRefs({ default: { $ref: 'x' } })).toEqual({ default: { $ref: 'x' } });
    expect(() => inlineRefs({ $ref: '#/$defs/missing' })).toThrow(/Unresolvable \$ref/);
    expect(() => inlineRefs({ $ref: 'https://example.com/s.json' })).toThrow(/External \$ref/);
  });

  it('honours maxRecursionDepth through toGeminiSchema', () => {
    const Tree: z.ZodType<{ kids: unknown[] }> = z.lazy(() => z.object({ kids: z.array(Tree) }));
    const one = JSON.stringify(toGeminiSchema(z.object({ t: Tree }), { maxRecursionDepth: 1 }));
    const three = JSON.stringify(toGeminiSchema(z.object({ t: Tree }), { maxRecursionDepth: 3 }));
    expect(one.length).toBeLessThan(three.length);
    expect(one).toContain('recursion truncated');
  });
});

describe('nullable', () => {
  it('turns anyOf [X, null] into X with nullable: true, keeping the outer description first', () => {
    expect(
      nullable({ description: 'outer', anyOf: [{ type: 'string', description: 'inner' }, { type: 'null' }] }),
    ).toEqual({
      type: 'string',
      nullable: true,
      description: 'outer. inner',
    });
  });

  it('keeps a union of several non-null branches as anyOf with nullable', () => {
    const out = nullable({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] });
    expect(out).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }], nullable: true });
  });
});

describe('constraints', () => {
  it('folds what Gemini ignores into the description and keeps what it supports', () => {
    const out = constraints({
      type: 'string',
      minLength: 3,
      maxLength: 3,
      pattern: '^[A-Z]{3}$',
      description: 'ISO currency',
    });
    expect(out).toEqual({
      type: 'string',
      description: 'ISO currency. Exactly 3 characters. Must match the regular expression /^[A-Z]{3}$/.',
    });
    const n = constraints({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, multipleOf: 2 });
    expect(n).toEqual({ type: 'integer', minimum: 1, description: 'Must be a multiple of 2.' });
  });
});

describe('root parameters', () => {
  it('rejects a non-object root', () => {
    expect(() => rootParameters(toGeminiSchema(z.string()))).toThrow(SchemaConversionError);
    expect(() => rootParameters(toGeminiSchema(z.union([z.string(), z.object({ a: z.string() })])))).toThrow(
      /union of object schemas/,
    );
  });

  it('flattens a root union of objects without a discriminator, listing the variants', () => {
    const out = rootParameters(
      toGeminiSchema(z.union([z.object({ a: z.string() }), z.object({ b: z.number() })])),
    );
    expect(out).toMatchObject({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
    });
    expect(out?.required).toBeUndefined();
    expect(out?.description).toContain(
      'exactly one of these variants: variant 1 requires a; variant 2 requires b',
    );
  });
});

describe('response formats', () => {
  it('may have any root and keep unions', () => {
    const out = toGeminiSchema(z.array(z.string()));
    expect(out).toEqual({ type: 'array', items: { type: 'string' } });
  });
});
