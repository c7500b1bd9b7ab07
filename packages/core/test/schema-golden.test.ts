/**
 * Golden tests of the schema converter over a zoo of parameter schemas (zod v4, zod v3, JSON Schema):
 * each output is compared with test/golden/schemas/<name>.json, and every output is checked for what Gemini
 * rejects ($ref, $defs, $schema, empty `required`, keywords outside its subset).
 */
import { describe, expect, it } from 'vitest';
import { rootParameters, toGeminiSchema } from '../src/index.ts';
import { GEMINI_KEYWORDS } from '../src/schema/allowlist.ts';
import { ZOO, type ZooEntry } from './schema-zoo.ts';

const convert = (entry: ZooEntry) => {
  const schema = toGeminiSchema(entry.schema);
  return entry.root === 'any' ? schema : (rootParameters(schema) ?? null);
};

/** Every schema node of a converted tree, with its path. */
function* nodes(schema: unknown, path = '$'): Generator<[string, Record<string, unknown>]> {
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as Record<string, unknown>;
  yield [path, node];
  for (const [name, sub] of Object.entries((node.properties as object) ?? {}))
    yield* nodes(sub, `${path}.${name}`);
  if (node.items) yield* nodes(node.items, `${path}[]`);
  for (const [i, sub] of ((node.anyOf as unknown[]) ?? []).entries()) yield* nodes(sub, `${path}|${i}`);
}

describe('schema zoo', () => {
  it('has at least 30 schemas, all with distinct names', () => {
    expect(ZOO.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ZOO.map((e) => e.name)).size).toBe(ZOO.length);
  });

  for (const entry of ZOO) {
    it(`${entry.name} matches its golden file`, async () => {
      await expect(`${JSON.stringify(convert(entry), null, 2)}\n`).toMatchFileSnapshot(
        `./golden/schemas/${entry.name}.json`,
      );
    });
  }

  it('no output contains $ref, $defs, definitions, $schema or an empty required', () => {
    for (const entry of ZOO) {
      const text = JSON.stringify(convert(entry));
      expect(text, entry.name).not.toMatch(/"\$ref"|"\$defs"|"definitions"|"\$schema"|"required":\[\]/);
      expect(text, entry.name).not.toMatch(/"additionalProperties"|"const"|"oneOf"|"allOf"|"prefixItems"/);
    }
  });

  it('every node uses only Gemini keywords, string-only enums, and required ⊆ properties', () => {
    for (const entry of ZOO) {
      for (const [path, node] of nodes(convert(entry))) {
        const where = `${entry.name} ${path}`;
        for (const key of Object.keys(node)) expect(GEMINI_KEYWORDS.has(key), `${where}: ${key}`).toBe(true);
        if (Array.isArray(node.enum)) {
          expect(
            node.enum.every((v) => typeof v === 'string'),
            where,
          ).toBe(true);
          expect(node.type, where).toBe('string');
        }
        if (Array.isArray(node.required)) {
          expect(node.required.length, where).toBeGreaterThan(0);
          for (const name of node.required)
            expect(Object.keys(node.properties as object), where).toContain(name);
        }
        if (node.type === 'array') expect(node.items, `${where} needs items`).toBeDefined();
      }
    }
  });

  it('tool parameters are an object at the root (or absent for a tool without parameters)', () => {
    for (const entry of ZOO.filter((e) => e.root !== 'any')) {
      const out = convert(entry);
      if (out !== null) expect((out as { type?: unknown }).type, entry.name).toBe('object');
    }
  });
});
