/**
 * Validate a value against a schema source: zod v4/v3 with `safeParse`, raw JSON Schema through zod's
 * `z.fromJSONSchema` (when it cannot read the schema, or the project's zod predates 4.2 and has none, values
 * are accepted as they are; zod is a peer dependency, so it is the user's copy). Model output is JSON,
 * so `z.date()` fields arrive as ISO strings: they are turned into `Date`s where the schema asks for a date.
 */
import { z } from 'zod/v4';
import type { ValidationIssue } from '../errors.ts';
import { rawJsonSchema, type SchemaSource, schemaKind, type ZodV4Like } from './detect.ts';
import { fromZodIssues } from './issues.ts';
import { isSchemaObject, type JsonSchema } from './json-schema.ts';

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };
export type Validator<T = unknown> = (value: unknown) => ValidationResult<T>;

interface SafeParser {
  safeParse(value: unknown): { success: boolean; data?: unknown; error?: { issues: unknown[] } };
}

const MAX_DATE_REPAIRS = 50;

function getAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const key of path)
    node = isSchemaObject(node) || Array.isArray(node) ? (node as never)[key] : undefined;
  return node;
}

function setAt(value: unknown, path: readonly PropertyKey[], next: unknown): void {
  let node = value as Record<PropertyKey, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<PropertyKey, unknown>;
  const last = path.at(-1);
  if (last !== undefined) node[last] = next;
}

/** Issues saying "expected date" at a path holding an ISO-like string. */
function dateRepairs(issues: unknown[], value: unknown): PropertyKey[][] {
  const paths: PropertyKey[][] = [];
  for (const issue of issues) {
    if (!isSchemaObject(issue) || issue.code !== 'invalid_type' || issue.expected !== 'date') continue;
    const path = Array.isArray(issue.path) ? (issue.path as PropertyKey[]) : [];
    const current = getAt(value, path);
    if (path.length > 0 && typeof current === 'string' && !Number.isNaN(Date.parse(current)))
      paths.push(path);
  }
  return paths;
}

function zodValidator<T>(schema: SafeParser): Validator<T> {
  return (input) => {
    let value = input;
    let copied = false;
    for (let attempt = 0; attempt <= MAX_DATE_REPAIRS; attempt++) {
      const result = schema.safeParse(value);
      if (result.success) return { ok: true, value: result.data as T };
      const issues = result.error?.issues ?? [];
      const repairs = dateRepairs(issues, value);
      if (repairs.length === 0) return { ok: false, issues: fromZodIssues(issues) };
      if (!copied) {
        value = structuredClone(value);
        copied = true;
      }
      for (const path of repairs) setAt(value, path, new Date(getAt(value, path) as string));
    }
    return { ok: false, issues: [{ path: [], message: 'too many date fields to convert' }] };
  };
}

function jsonSchemaValidator<T>(schema: JsonSchema): Validator<T> {
  let parser: SafeParser | undefined;
  try {
    parser = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]) as unknown as SafeParser;
  } catch {
    parser = undefined;
  }
  return parser ? zodValidator<T>(parser) : (value) => ({ ok: true, value: value as T });
}

/** Build a validator for a schema source. */
export function createValidator<T = unknown>(source: SchemaSource): Validator<T> {
  const kind = schemaKind(source);
  if (kind === 'zod4' || kind === 'zod3') return zodValidator<T>(source as ZodV4Like as SafeParser);
  return jsonSchemaValidator<T>(rawJsonSchema(source as JsonSchema));
}
