/** Argument validation and the messages the model gets back (field paths, phrased to be fixed). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod-v3';
import { createValidator, formatIssues, jsonSchema } from '../src/index.ts';
import { toolErrorMessages } from '../src/run/tool-errors.ts';

const issuesOf = (schema: Parameters<typeof createValidator>[0], value: unknown) => {
  const r = createValidator(schema)(value);
  if (r.ok) throw new Error('expected a validation failure');
  return r.issues;
};

describe('validation messages', () => {
  it('phrases a wrong type with its field path, for the model to fix', () => {
    const issues = issuesOf(z.object({ location: z.string() }), { location: 42 });
    expect(toolErrorMessages.invalidArguments('get_weather', issues)).toBe(
      'Invalid arguments for get_weather: location: expected string, received number. Fix and call again.',
    );
  });

  it('says "required" for a missing field (zod v4 and v3 alike)', () => {
    expect(formatIssues(issuesOf(z.object({ location: z.string() }), {}))).toBe(
      'location: required (expected string)',
    );
    expect(formatIssues(issuesOf(z3.object({ location: z3.string() }), {}))).toBe(
      'location: required (expected string)',
    );
  });

  it('reports nested paths with indexes and several issues at once', () => {
    const schema = z.object({ items: z.array(z.object({ sku: z.string(), qty: z.int().positive() })) });
    const text = formatIssues(
      issuesOf(schema, {
        items: [
          { sku: 'a', qty: 1 },
          { sku: 7, qty: 0 },
        ],
      }),
    );
    expect(text).toBe(
      'items[1].sku: expected string, received number; items[1].qty: too small: expected number to be >0',
    );
  });

  it('lists the allowed values of an enum and the alternatives of a union', () => {
    expect(formatIssues(issuesOf(z.object({ unit: z.enum(['c', 'f']) }), { unit: 'k' }))).toBe(
      'unit: expected one of "c"|"f"',
    );
    expect(formatIssues(issuesOf(z.object({ v: z.union([z.string(), z.number()]) }), { v: true }))).toBe(
      'v: does not match any allowed shape (expected string, received boolean | expected number, received boolean)',
    );
  });

  it('names the discriminator of a discriminated union', () => {
    const schema = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('a'), x: z.number() }),
      z.object({ kind: z.literal('b'), y: z.string() }),
    ]);
    expect(formatIssues(issuesOf(schema, { kind: 'c' }))).toBe(
      "kind: invalid discriminator value. Expected 'a' | 'b'",
    );
  });

  it('names unknown keys of a strict object at the root as "arguments"', () => {
    expect(formatIssues(issuesOf(z.object({ a: z.string() }).strict(), { a: 'x', b: 1 }))).toBe(
      'arguments: unrecognized key: "b"',
    );
  });

  it('uses zod v3 messages too', () => {
    expect(formatIssues(issuesOf(z3.object({ n: z3.number() }), { n: 'x' }))).toBe(
      'n: expected number, received string',
    );
  });

  it('validates raw JSON Schema parameters (through z.fromJSONSchema)', () => {
    const schema = {
      type: 'object',
      properties: { location: { type: 'string' }, days: { type: 'integer', minimum: 1 } },
      required: ['location'],
    };
    expect(formatIssues(issuesOf(schema, { location: 3, days: 0 }))).toBe(
      'location: expected string, received number; days: too small: expected number to be >=1',
    );
    expect(createValidator(jsonSchema(schema))({ location: 'Paris' })).toEqual({
      ok: true,
      value: { location: 'Paris' },
    });
  });

  it('turns ISO strings into Dates where the schema wants z.date() (JSON has no dates)', () => {
    const v4 = createValidator<{ at: Date; list: { d: Date }[] }>(
      z.object({ at: z.date(), list: z.array(z.object({ d: z.date() })) }),
    );
    const r = v4({ at: '2025-11-01T10:00:00Z', list: [{ d: '2025-01-02T00:00:00Z' }] });
    expect(r.ok && r.value.at instanceof Date && r.value.list[0]?.d instanceof Date).toBe(true);
    const v3 = createValidator(z3.object({ at: z3.date() }));
    const r3 = v3({ at: '2025-11-01T10:00:00Z' });
    expect(r3.ok && (r3.value as { at: Date }).at.toISOString()).toBe('2025-11-01T10:00:00.000Z');
    const bad = v4({ at: 'not a date', list: [] });
    expect(bad.ok).toBe(false);
  });

  it('does not mutate the caller’s value when converting dates', () => {
    const input = { at: '2025-11-01T10:00:00Z' };
    createValidator(z.object({ at: z.date() }))(input);
    expect(input.at).toBe('2025-11-01T10:00:00Z');
  });
});
