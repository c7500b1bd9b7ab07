/**
 * Step 1 of the conversion: any schema source → a plain JSON Schema document.
 * zod v4 uses its own `z.toJSONSchema` (input side, so defaulted fields are optional); zod v3 uses
 * `zod-to-json-schema` (which silently returns `{}` for a v4 schema — hence the detection first); raw JSON
 * Schema is deep-copied. Dates become ISO 8601 strings (`format: date-time`) in both zod versions.
 */
import { z } from 'zod/v4';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { SchemaConversionError } from '../errors.ts';
import { rawJsonSchema, type SchemaSource, schemaKind } from './detect.ts';
import type { JsonSchema } from './json-schema.ts';

type ToJsonSchemaSource = Parameters<typeof z.toJSONSchema>[0];
type ZodToJsonSchemaSource = Parameters<typeof zodToJsonSchema>[0];

function fromZodV4(schema: unknown): JsonSchema {
  return z.toJSONSchema(schema as ToJsonSchemaSource, {
    io: 'input',
    unrepresentable: 'any',
    cycles: 'ref',
    reused: 'inline',
    override: (ctx) => {
      const def = (ctx.zodSchema as { _zod?: { def?: { type?: string } } })._zod?.def;
      if (def?.type === 'date') {
        ctx.jsonSchema.type = 'string';
        ctx.jsonSchema.format = 'date-time';
      }
    },
  }) as JsonSchema;
}

function fromZodV3(schema: unknown): JsonSchema {
  return zodToJsonSchema(schema as ZodToJsonSchemaSource, {
    $refStrategy: 'root',
    effectStrategy: 'input',
    pipeStrategy: 'input',
    dateStrategy: 'format:date-time',
    target: 'jsonSchema7',
  }) as JsonSchema;
}

/** Convert a zod v4, zod v3 or raw JSON Schema source into a (fresh) JSON Schema object. */
export function toJsonSchema(source: SchemaSource): JsonSchema {
  const kind = schemaKind(source);
  try {
    if (kind === 'zod4') return fromZodV4(source);
    if (kind === 'zod3') return fromZodV3(source);
  } catch (cause) {
    throw new SchemaConversionError(
      `Cannot convert the zod schema to JSON Schema: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  if (kind === 'json') return structuredClone(rawJsonSchema(source as JsonSchema));
  throw new SchemaConversionError('Expected a zod schema (v3 or v4) or a JSON Schema object.');
}
