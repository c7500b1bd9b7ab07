/**
 * The scripted provider's script: rules tried in order, the first whose `when` matches answers with `respond`
 * (or fails with `error`). Validated with zod on load; errors name the rule and field, e.g.
 * `rules[2].when.input: invalid regex`. Format: docs/server/scripted-provider.md.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { patternProblem } from './pattern.ts';

const regex = z.string().superRefine((source, ctx) => {
  const problem = patternProblem(source);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
/** A single string is shorthand for a one-element list. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(item).min(1));

const When = z.strictObject({
  /**
   * Case-insensitive regex (RE2 syntax, see pattern.ts) over the latest user text (its first 16 Ki
   * characters). Named groups become `{{name}}`. Without `last`, the rule only answers while that user
   * message is the latest item (not after a tool result).
   */
  input: regex.optional(),
  /** Case-insensitive regex over the text of every turn before the latest user input (its last 16 Ki characters). */
  history: regex.optional(),
  /** Tool names that must be offered: function names, built-in types, `mcp_server` names. */
  tools: oneOrMany(z.string().min(1)).optional(),
  /** Type(s) of the conversation's latest item, e.g. `user_input`, `function_result`. */
  last: oneOrMany(z.string().min(1)).optional(),
  /** Content types the latest user input must carry, e.g. `["image"]`. */
  has: oneOrMany(z.string().min(1)).optional(),
  /** `true`: the request asks for JSON (`output_format.schema` set); `false`: it does not. */
  schema: z.boolean().optional(),
});

const args = z.record(z.string(), z.unknown());
const id = z.string().min(1).optional();
const summaryPart = z.looseObject({ type: z.enum(['text', 'image']) });

const RespondItem = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('text'),
    text: z.string(),
    annotations: z.array(z.looseObject({})).optional(),
  }),
  z.looseObject({
    type: z.literal('thought'),
    summary: z
      .preprocess((v) => (typeof v === 'string' ? [{ type: 'text', text: v }] : v), z.array(summaryPart))
      .optional(),
    signature: z.string().optional(),
  }),
  z.looseObject({
    type: z.literal('function_call'),
    name: z.string().min(1),
    arguments: args.default({}),
    id,
  }),
  z.looseObject({
    type: z.enum(['image', 'audio', 'video', 'document']),
    data: z.string().optional(),
    uri: z.string().optional(),
    mime_type: z.string().optional(),
  }),
  /** JSON text: `value` if given, else a minimal instance of the request's `output_format.schema`. */
  z.looseObject({ type: z.literal('json'), value: z.unknown().optional() }),
  z.looseObject({
    type: z.literal('code_execution_call'),
    arguments: z.looseObject({ code: z.string(), language: z.string().optional() }),
    id,
  }),
  z.looseObject({
    type: z.literal('url_context_call'),
    arguments: z.looseObject({ urls: oneOrMany(z.string()) }),
    id,
  }),
  z.looseObject({
    type: z.literal('google_search_call'),
    arguments: z.looseObject({ queries: oneOrMany(z.string()) }),
    id,
  }),
  z.looseObject({
    type: z.literal('mcp_server_tool_call'),
    name: z.string().min(1),
    server_name: z.string().min(1),
    arguments: args.default({}),
    id,
  }),
  z.looseObject({
    type: z.literal('tool_search_call'),
    arguments: z.looseObject({
      function_names: z.array(z.string()).optional(),
      query: z.string().optional(),
    }),
    id,
  }),
  z.looseObject({
    type: z.enum(['file_search_call', 'google_maps_call', 'retrieval_call']),
    arguments: args.optional(),
    id,
  }),
]);

const Rule = z
  .strictObject({
    /** A label for humans; not matched. */
    name: z.string().optional(),
    when: When.optional(),
    /** A string is one text item. */
    respond: z
      .preprocess(
        (v) => (typeof v === 'string' ? [{ type: 'text', text: v }] : v),
        z.array(RespondItem).min(1),
      )
      .optional(),
    /** Fail the turn with this error instead of answering (test a client's failure handling). */
    error: z.strictObject({ code: z.string().min(1), message: z.string() }).optional(),
  })
  .refine((r) => (r.respond === undefined) !== (r.error === undefined), {
    message: 'needs exactly one of respond or error',
  });

export const ScriptSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  /** Pause between streamed deltas, in ms (0: none). Makes streaming visible in demos. */
  delay_ms: z.number().int().min(0).optional(),
  rules: z.array(Rule).min(1),
});

/** A script as written (JSON or a TS object). */
export type ScriptInput = z.input<typeof ScriptSchema>;
/** A validated script. */
export type Script = z.output<typeof ScriptSchema>;
export type ScriptRule = Script['rules'][number];
export type RespondItem = z.output<typeof RespondItem>;
export type When = z.output<typeof When>;

export class ScriptError extends Error {
  override readonly name = 'ScriptError';
  /** One line per problem, `path: message`. */
  readonly problems: string[];

  constructor(source: string, problems: string[]) {
    super(`invalid script ${source}:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

/** Validates a script object; throws `ScriptError` naming each bad field. */
export function parseScript(value: unknown, source = '(inline)'): Script {
  const parsed = ScriptSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ScriptError(
    source,
    parsed.error.issues.map((issue) => `${formatPath(issue.path) || '(script)'}: ${issue.message}`),
  );
}

/** Reads a script: `.json` parsed as JSON; `.ts`/`.js`/`.mjs` imported (default export, or `script`). */
export async function loadScript(path: string): Promise<Script> {
  const file = resolve(path);
  if (['.ts', '.mts', '.js', '.mjs'].includes(extname(file))) {
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown; script?: unknown };
    return parseScript(mod.default ?? mod.script, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new ScriptError(path, [`not valid JSON: ${error.message}`]);
    throw error;
  }
  return parseScript(json, path);
}

/** `["rules", 2, "when", "input"]` → `rules[2].when.input`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
