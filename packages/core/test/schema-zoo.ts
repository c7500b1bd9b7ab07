/**
 * A zoo of parameter schemas (zod v4, zod v3 and raw JSON Schema) used by the golden conversion tests.
 * `root: 'tool'` entries go through the tool-parameter root rules; `root: 'any'` ones are response formats.
 */
import { z } from 'zod';
import { z as z3 } from 'zod-v3';
import { jsonSchema, type SchemaSource } from '../src/index.ts';

export interface ZooEntry {
  name: string;
  schema: SchemaSource;
  root?: 'tool' | 'any';
}

interface TreeNode {
  name: string;
  children: TreeNode[];
}
const treeNode: z.ZodType<TreeNode> = z.lazy(() =>
  z.object({ name: z.string(), children: z.array(treeNode) }),
);
const Category = z.object({
  title: z.string(),
  get parent() {
    return Category.optional();
  },
});
interface V3Node {
  value: number;
  next?: V3Node;
}
const v3Node: z3.ZodType<V3Node> = z3.lazy(() => z3.object({ value: z3.number(), next: v3Node.optional() }));

const Address = z.object({ street: z.string(), city: z.string(), zip: z.string().regex(/^\d{5}$/) });

export const ZOO: ZooEntry[] = [
  {
    name: 'v4-weather',
    schema: z.object({ location: z.string().describe('The city and state, e.g. San Francisco, CA') }),
  },
  {
    name: 'v4-schedule-meeting',
    schema: z.object({
      attendees: z.array(z.string()),
      date: z.string().describe('Date of the meeting (e.g., 2024-07-29)'),
      time: z.string().describe('Time of the meeting (e.g., 15:00)'),
      topic: z.string().describe('The subject of the meeting.'),
    }),
  },
  { name: 'v4-nested-objects', schema: z.object({ user: z.object({ name: z.string(), address: Address }) }) },
  { name: 'v4-shared-subschema', schema: z.object({ from: Address, to: Address }) },
  {
    name: 'v4-arrays',
    schema: z.object({
      tags: z.array(z.string()).min(1).max(5),
      matrix: z.array(z.array(z.number())),
      unique: z.array(z.string()).refine((a) => new Set(a).size === a.length),
    }),
  },
  { name: 'v4-enum', schema: z.object({ unit: z.enum(['celsius', 'fahrenheit']), mode: z.literal('fast') }) },
  {
    name: 'v4-native-enum-numbers',
    schema: z.object({ level: z.union([z.literal(1), z.literal(2), z.literal(3)]) }),
  },
  {
    name: 'v4-literal-union',
    schema: z.object({ size: z.union([z.literal('s'), z.literal('m'), z.literal('l')]) }),
  },
  {
    name: 'v4-discriminated-union-nested',
    schema: z.object({
      shape: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('circle'), radius: z.number().positive() }),
        z.object({ kind: z.literal('rect'), width: z.number(), height: z.number() }),
      ]),
    }),
  },
  {
    name: 'v4-discriminated-union-root',
    schema: z.discriminatedUnion('action', [
      z.object({ action: z.literal('create'), title: z.string(), body: z.string().optional() }),
      z.object({ action: z.literal('delete'), id: z.string() }),
    ]),
  },
  { name: 'v4-plain-union', schema: z.object({ value: z.union([z.string(), z.number()]) }) },
  { name: 'v4-record', schema: z.object({ scores: z.record(z.string(), z.number()) }) },
  {
    name: 'v4-record-of-objects',
    schema: z.object({ byId: z.record(z.string(), z.object({ qty: z.int() })) }),
  },
  { name: 'v4-dates', schema: z.object({ when: z.date(), isoWhen: z.iso.datetime(), day: z.iso.date() }) },
  {
    name: 'v4-defaults',
    schema: z.object({ limit: z.number().int().default(10), order: z.enum(['asc', 'desc']).default('asc') }),
  },
  {
    name: 'v4-optional-nullable',
    schema: z.object({
      a: z.string().optional(),
      b: z.string().nullable(),
      c: z.number().nullish(),
      d: z.object({ x: z.number() }).nullable(),
    }),
  },
  {
    name: 'v4-string-constraints',
    schema: z.object({
      code: z
        .string()
        .min(2)
        .max(8)
        .regex(/^[A-Z]+$/),
      email: z.email(),
      site: z.url(),
      id: z.uuid(),
      nonEmpty: z.string().min(1),
    }),
  },
  {
    name: 'v4-number-constraints',
    schema: z.object({
      count: z.int().positive(),
      ratio: z.number().min(0).max(1),
      step: z.number().multipleOf(5),
      temp: z.number().gt(-273.15).lt(1000),
    }),
  },
  { name: 'v4-recursive-lazy', schema: z.object({ root: treeNode }) },
  { name: 'v4-recursive-getter', schema: Category },
  {
    name: 'v4-tuple',
    schema: z.object({ point: z.tuple([z.number(), z.number()]), pair: z.tuple([z.string(), z.int()]) }),
  },
  {
    name: 'v4-intersection',
    schema: z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })),
  },
  {
    name: 'v4-described-meta',
    schema: z.object({ q: z.string().meta({ title: 'Query', examples: ['paris weather'] }) }),
  },
  { name: 'v4-any-unknown', schema: z.object({ payload: z.unknown(), extra: z.any().optional() }) },
  { name: 'v4-no-params', schema: z.object({}) },
  { name: 'v4-strict-passthrough', schema: z.object({ a: z.string() }).strict() },
  { name: 'v4-boolean-and-bigint', schema: z.object({ flag: z.boolean(), big: z.bigint() }) },
  {
    name: 'v4-transform-and-pipe',
    schema: z.object({ n: z.string().transform((s) => Number(s)), p: z.string().pipe(z.email()) }),
  },
  // ---- zod v3 ------------------------------------------------------------------------------------
  {
    name: 'v3-weather',
    schema: z3.object({
      location: z3.string().describe('The city and state'),
      unit: z3.enum(['c', 'f']).optional(),
    }),
  },
  {
    name: 'v3-discriminated-union',
    schema: z3.object({
      event: z3.discriminatedUnion('type', [
        z3.object({ type: z3.literal('click'), x: z3.number(), y: z3.number() }),
        z3.object({ type: z3.literal('key'), key: z3.string() }),
      ]),
    }),
  },
  { name: 'v3-recursive', schema: z3.object({ list: v3Node }) },
  {
    name: 'v3-nullable-default-date',
    schema: z3.object({
      note: z3.string().nullable(),
      retries: z3.number().int().default(3),
      at: z3.date(),
      obj: z3.object({ k: z3.string() }).nullable(),
    }),
  },
  {
    name: 'v3-record-and-tuple',
    schema: z3.object({ m: z3.record(z3.boolean()), t: z3.tuple([z3.string(), z3.number()]) }),
  },
  // ---- raw JSON Schema ---------------------------------------------------------------------------
  {
    name: 'json-seed-weather',
    schema: {
      type: 'object',
      properties: { location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' } },
      required: ['location'],
    },
  },
  {
    name: 'json-defs-and-refs',
    schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        billing: { $ref: '#/$defs/addr' },
        shipping: { $ref: '#/$defs/addr', description: 'Where to ship' },
      },
      required: ['billing'],
      additionalProperties: false,
      $defs: { addr: { type: 'object', properties: { line: { type: 'string' } }, required: ['line'] } },
    },
  },
  {
    name: 'json-draft07-definitions-recursive',
    schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: {
        person: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            friends: { type: 'array', items: { $ref: '#/definitions/person' } },
          },
        },
      },
      type: 'object',
      properties: { person: { $ref: '#/definitions/person' } },
    },
  },
  {
    name: 'json-type-arrays-const-oneof',
    schema: jsonSchema({
      type: 'object',
      properties: {
        maybe: { type: ['string', 'null'] },
        multi: { type: ['string', 'number'] },
        version: { const: 2 },
        choice: {
          oneOf: [
            { type: 'string', const: 'x' },
            { type: 'string', const: 'y' },
          ],
        },
        empty: { type: 'object', properties: {}, required: [] },
      },
      required: [],
    }),
  },
  {
    name: 'json-draft04-exclusive-bounds',
    schema: {
      type: 'object',
      properties: { n: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 10 } },
      required: ['n', 'ghost'],
    },
  },
  // ---- response formats (any root) ---------------------------------------------------------------
  { name: 'format-array-root', root: 'any', schema: z.array(z.object({ title: z.string(), year: z.int() })) },
  {
    name: 'format-union-root',
    root: 'any',
    schema: z.union([
      z.object({ ok: z.literal(true), value: z.string() }),
      z.object({ ok: z.literal(false), error: z.string() }),
    ]),
  },
];
