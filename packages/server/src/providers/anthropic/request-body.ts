/**
 * A Messages API request body from an Interactions request: model, `max_tokens` (required upstream),
 * `system`, messages, tools (`input_schema`), `tool_choice`, sampling, `thinking_level` → `thinking`, and
 * structured output as `output_config.format` (`json_schema`). Always streaming.
 */
import type { GenerationConfig, OutputFormat, ToolChoice } from '@interplay/protocol';
import type { FunctionSpec } from '../shared/builtin-functions.ts';
import type { Message } from './messages.ts';

export interface BodyInput {
  model: string;
  messages: Message[];
  systemInstruction: string | undefined;
  functions: readonly FunctionSpec[];
  generationConfig: GenerationConfig | undefined;
  outputFormat: OutputFormat | undefined;
  maxTokens: number;
  thinking: 'budget' | 'adaptive';
  /** False inside a tool-use loop Claude began without thinking (see `inUnthoughtToolLoop`). */
  thinkingAllowed: boolean;
}

const BUDGETS: Record<string, number> = { low: 2_048, medium: 8_192, high: 16_384 };
/** The smallest thinking budget Claude takes. */
const MIN_BUDGET = 1_024;

export function requestBody(input: BodyInput): Record<string, unknown> {
  const config = input.generationConfig ?? {};
  const asked = typeof config.max_output_tokens === 'number' ? config.max_output_tokens : undefined;
  const body: Record<string, unknown> = { model: input.model, max_tokens: asked ?? input.maxTokens };
  if (input.systemInstruction) body.system = input.systemInstruction;
  body.messages = input.messages;
  body.stream = true;
  const outputConfig: Record<string, unknown> = {};
  const level = typeof config.thinking_level === 'string' ? config.thinking_level : undefined;
  let thinking = false;
  if (level && level !== 'minimal' && input.thinkingAllowed) {
    if (input.thinking === 'adaptive') {
      body.thinking = { type: 'adaptive' };
      outputConfig.effort = level in BUDGETS ? level : 'medium';
      thinking = true;
    } else {
      const wanted = BUDGETS[level] ?? BUDGETS.medium!;
      // budget_tokens must stay below max_tokens: a request's own limit wins, the default grows to fit.
      if (asked === undefined) body.max_tokens = Math.max(input.maxTokens, wanted + input.maxTokens);
      const budget = Math.min(wanted, (body.max_tokens as number) - 1);
      if (budget >= MIN_BUDGET) {
        body.thinking = { type: 'enabled', budget_tokens: budget };
        thinking = true;
      }
    }
  }
  // With thinking on, Claude takes no temperature and a top_p of at least 0.95 only.
  if (!thinking && typeof config.temperature === 'number') body.temperature = config.temperature;
  if (typeof config.top_p === 'number' && (!thinking || config.top_p >= 0.95)) body.top_p = config.top_p;
  if (Array.isArray(config.stop_sequences) && config.stop_sequences.length > 0)
    body.stop_sequences = config.stop_sequences;
  if (input.functions.length > 0) {
    body.tools = input.functions.map((f) => ({
      name: f.name,
      description: f.description,
      input_schema: f.parameters,
    }));
    const choice = toolChoice(config.tool_choice as ToolChoice | undefined, thinking);
    if (choice) body.tool_choice = choice;
  }
  if (input.outputFormat?.schema) {
    outputConfig.format = { type: 'json_schema', schema: closedObjects(input.outputFormat.schema) };
  }
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig;
  return body;
}

/**
 * Interactions `tool_choice` → Claude's: `any` → `any`, one allowed tool → that `tool`, `none` → `none`.
 * With thinking on Claude takes only `auto` and `none`.
 */
function toolChoice(choice: ToolChoice | undefined, thinking: boolean): Record<string, unknown> | undefined {
  if (choice === undefined) return undefined;
  const mode = typeof choice === 'string' ? choice : choice.allowed_tools?.mode;
  const tools = typeof choice === 'string' ? undefined : choice.allowed_tools?.tools;
  if (mode === 'none') return { type: 'none' };
  if (thinking) return { type: 'auto' };
  if (tools?.length === 1) return { type: 'tool', name: tools[0] };
  return { type: mode === 'any' ? 'any' : 'auto' };
}

/**
 * Claude's structured output takes object schemas closed (`additionalProperties: false`): objects that leave
 * it unset are closed, everything else passes as it is.
 */
export function closedObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closedObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === 'properties' || key === '$defs' || key === 'definitions'
        ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, closedObjects(v)]))
        : typeof value === 'object'
          ? closedObjects(value)
          : value;
  }
  if (out.type === 'object' && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}
