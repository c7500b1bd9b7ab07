/**
 * A Chat Completions request body from an Interactions request: model, messages, tools, `response_format`
 * (JSON schema output), and `generation_config` (temperature, top_p, max_output_tokens, seed, stop sequences,
 * thinking_level → reasoning_effort, tool_choice). Always streaming, with usage in the last chunk.
 */
import type { GenerationConfig, OutputFormat, ToolChoice } from '@interplay/protocol';
import type { FunctionSpec } from '../shared/builtin-functions.ts';
import type { ChatMessage } from './messages.ts';

export interface BodyInput {
  model: string;
  messages: ChatMessage[];
  functions: readonly FunctionSpec[];
  generationConfig: GenerationConfig | undefined;
  outputFormat: OutputFormat | undefined;
  reasoningEffort: boolean;
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
}

export function requestBody(input: BodyInput): Record<string, unknown> {
  const config = input.generationConfig ?? {};
  const body: Record<string, unknown> = {
    model: input.model,
    messages: input.messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (input.functions.length > 0) {
    body.tools = input.functions.map((f) => ({
      type: 'function',
      function: { name: f.name, description: f.description, parameters: f.parameters },
    }));
    const choice = toolChoice(config.tool_choice as ToolChoice | undefined);
    if (choice !== undefined) body.tool_choice = choice;
  }
  if (typeof config.temperature === 'number') body.temperature = config.temperature;
  if (typeof config.top_p === 'number') body.top_p = config.top_p;
  if (typeof config.max_output_tokens === 'number') body[input.maxTokensField] = config.max_output_tokens;
  if (typeof config.seed === 'number') body.seed = config.seed;
  if (Array.isArray(config.stop_sequences) && config.stop_sequences.length > 0)
    body.stop = config.stop_sequences;
  if (input.reasoningEffort && typeof config.thinking_level === 'string') {
    body.reasoning_effort = config.thinking_level;
  }
  const format = responseFormat(input.outputFormat);
  if (format) body.response_format = format;
  return body;
}

/** `response_format`: a JSON schema (`json_schema`), or plain JSON mode when only the MIME type asks for JSON. */
function responseFormat(format: OutputFormat | undefined): Record<string, unknown> | undefined {
  if (!format) return undefined;
  if (format.schema) {
    return { type: 'json_schema', json_schema: { name: 'response', schema: format.schema, strict: false } };
  }
  if (format.mime_type === 'application/json') return { type: 'json_object' };
  return undefined;
}

/** Interactions `tool_choice` → Chat Completions: `any` → `required`; one allowed tool → that function. */
function toolChoice(choice: ToolChoice | undefined): unknown {
  if (choice === undefined) return undefined;
  const mode = (m: string | undefined) => (m === 'any' ? 'required' : m === 'none' ? 'none' : 'auto');
  if (typeof choice === 'string') return mode(choice);
  const { mode: m, tools } = choice.allowed_tools ?? {};
  if (tools?.length === 1 && m !== 'none') return { type: 'function', function: { name: tools[0] } };
  return mode(m);
}
