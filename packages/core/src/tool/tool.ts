/**
 * `tool()`: a typed function tool. The parameters (zod v4, zod v3 or JSON Schema) are converted once, at
 * definition time, into the function declaration sent to the model; the model's arguments are validated
 * against the original schema before `execute` runs.
 */
import type { FunctionTool } from '@interplay/protocol';
import { InterplayError, ToolDefinitionError } from '../errors.ts';
import type { InferSchema, SchemaSource } from '../schema/detect.ts';
import { rootParameters } from '../schema/root-parameters.ts';
import { toGeminiSchema } from '../schema/to-gemini-schema.ts';
import { createValidator, type Validator } from '../schema/validate.ts';
import type { ApprovalContext, ToolContext } from './context.ts';
import { assertToolName } from './name.ts';

/** Whether a call needs a human's approval before it runs. */
export type NeedsApproval<TArgs, TContext> =
  | boolean
  | ((args: TArgs, ctx: ApprovalContext<TContext>) => boolean | Promise<boolean>);

export interface ToolConfig<P extends SchemaSource, TResult, TContext> {
  /** The function name the model calls (letters, digits, `_ . : -`; ≤ 64 characters). */
  name: string;
  /** What the tool does and when to use it: the model reads this. */
  description: string;
  /** zod v4 or v3 schema, `jsonSchema<T>(…)`, or a plain JSON Schema object. Must describe an object. */
  parameters: P;
  /**
   * Runs the tool with validated, typed arguments. The return value is sent to the model as the
   * `function_result` (strings as they are, anything else as JSON). Throwing sends an error result.
   */
  execute: (args: InferSchema<P>, ctx: ToolContext<TContext>) => TResult | Promise<TResult>;
  /**
   * Per-call time limit in ms, counted from when `execute` returns its promise (synchronous work cannot be
   * interrupted); overrides the runner's `toolTimeoutMs`. `0` disables it.
   */
  timeoutMs?: number;
  /** `true`, or a predicate over the arguments, to pause the run for a human decision before executing. */
  needsApproval?: NeedsApproval<InferSchema<P>, TContext>;
  /** Depth to which recursive parameter schemas are expanded (default 3). */
  maxRecursionDepth?: number;
}

/** A function tool ready for a runner. */
export interface ToolDefinition<TArgs = unknown, TResult = unknown, TContext = unknown> {
  readonly kind: 'function_tool';
  readonly name: string;
  readonly description: string;
  /** The declaration sent in `tools` (`{type:'function', name, description, parameters}`). */
  readonly declaration: FunctionTool;
  readonly timeoutMs: number | undefined;
  readonly needsApproval: NeedsApproval<TArgs, TContext>;
  /** Validates raw model arguments against the original schema. */
  readonly validate: Validator<TArgs>;
  readonly execute: (args: TArgs, ctx: ToolContext<TContext>) => TResult | Promise<TResult>;
}

/** Any tool, whatever its argument, result and context types (arguments are both read and written: `any`). */
// biome-ignore lint/suspicious/noExplicitAny: a tool list mixes tools of unrelated argument types.
export type AnyTool = ToolDefinition<any, unknown, any>;

/**
 * Define a typed function tool.
 *
 * @example
 * const getWeather = tool({
 *   name: 'get_weather',
 *   description: 'Gets the weather for a given location.',
 *   parameters: z.object({ location: z.string().describe('The city and state, e.g. San Francisco, CA') }),
 *   execute: async ({ location }, { signal }) => `The weather in ${location} is sunny.`,
 * });
 */
export function tool<P extends SchemaSource, TResult, TContext = unknown>(
  config: ToolConfig<P, TResult, TContext>,
): ToolDefinition<InferSchema<P>, TResult, TContext> {
  assertToolName(config.name);
  if (typeof config.execute !== 'function') {
    throw new ToolDefinitionError(`Tool ${config.name} has no execute function.`, config.name);
  }
  if (config.timeoutMs !== undefined && !(config.timeoutMs >= 0)) {
    throw new ToolDefinitionError(`Tool ${config.name}: timeoutMs must be a number ≥ 0.`, config.name);
  }
  let parameters: Record<string, unknown> | undefined;
  try {
    const options =
      config.maxRecursionDepth === undefined ? {} : { maxRecursionDepth: config.maxRecursionDepth };
    parameters = rootParameters(toGeminiSchema(config.parameters, options));
  } catch (cause) {
    const detail = cause instanceof InterplayError ? cause.message : String(cause);
    throw new ToolDefinitionError(`Tool ${config.name}: ${detail}`, config.name, { cause });
  }
  const declaration: FunctionTool = { type: 'function', name: config.name, description: config.description };
  if (parameters) declaration.parameters = parameters;
  return {
    kind: 'function_tool',
    name: config.name,
    description: config.description,
    declaration,
    timeoutMs: config.timeoutMs,
    needsApproval: config.needsApproval ?? false,
    validate: createValidator<InferSchema<P>>(config.parameters),
    execute: config.execute,
  };
}

export const isToolDefinition = (value: unknown): value is AnyTool =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'function_tool';
