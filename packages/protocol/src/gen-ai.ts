/**
 * The OpenTelemetry GenAI semantic conventions (Development status, December 2026) as plain data, shared by
 * the Runner's and the server's spans (this package does not depend on OpenTelemetry).
 *
 * `genAiMessages`: items as the OpenTelemetry GenAI conventions' messages, the JSON recorded in `gen_ai.input.messages` and
 * `gen_ai.output.messages` when message content is captured: consecutive items of one role make one message;
 * text, thoughts (`reasoning`), function calls (`tool_call`) and their results (`tool_call_response`) get the
 * conventions' part types; media is named by its MIME type and address (its bytes are not copied into a span);
 * any other step (a server tool's call or result) is a part of its own type carrying the step.
 *
 * @example
 * genAiMessages([{ type: 'user_input', content: [{ type: 'text', text: 'Hi' }] }]);
 * // → [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]
 */
import type { Item } from './canonical.ts';
import type { Usage } from './wire/common.ts';

/** The conventions' attribute names used by the Runner's and the server's spans. */
export const GEN_AI = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  agentName: 'gen_ai.agent.name',
  requestModel: 'gen_ai.request.model',
  responseId: 'gen_ai.response.id',
  responseModel: 'gen_ai.response.model',
  finishReasons: 'gen_ai.response.finish_reasons',
  conversationId: 'gen_ai.conversation.id',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  toolCallId: 'gen_ai.tool.call.id',
  toolArguments: 'gen_ai.tool.call.arguments',
  toolResult: 'gen_ai.tool.call.result',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  errorType: 'error.type',
} as const;

/** Message content (inputs, outputs, tool arguments and results) goes into spans only when opted in. */
export function captureGenAiContent(): boolean {
  return globalThis.process?.env?.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT === 'true';
}

/** A usage's token counts as the conventions' attributes (absent counts are left out). */
export function genAiUsage(usage: Usage | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (usage?.total_input_tokens !== undefined) out[GEN_AI.inputTokens] = usage.total_input_tokens;
  if (usage?.total_output_tokens !== undefined) out[GEN_AI.outputTokens] = usage.total_output_tokens;
  return out;
}

export interface GenAiPart {
  type: string;
  [field: string]: unknown;
}

export interface GenAiMessage {
  role: 'user' | 'assistant' | 'tool';
  parts: GenAiPart[];
}

export function genAiMessages(items: readonly Item[]): GenAiMessage[] {
  const messages: GenAiMessage[] = [];
  const push = (role: GenAiMessage['role'], part: GenAiPart): void => {
    const last = messages.at(-1);
    if (last?.role === role) last.parts.push(part);
    else messages.push({ role, parts: [part] });
  };
  for (const item of items) {
    switch (item.type) {
      case 'user_input':
        for (const content of item.content ?? []) push('user', contentPart(content));
        break;
      case 'model_output':
        for (const content of item.content ?? []) push('assistant', contentPart(content));
        break;
      case 'thought': {
        const { summary } = item;
        const text = typeof summary === 'string' ? summary : (summary ?? []).map(textOf).join('');
        push('assistant', { type: 'reasoning', content: text });
        break;
      }
      case 'function_call':
        push('assistant', { type: 'tool_call', id: item.id, name: item.name, arguments: item.arguments });
        break;
      case 'function_result':
        push('tool', { type: 'tool_call_response', id: item.call_id, response: item.result });
        break;
      default:
        push(item.type.endsWith('_result') ? 'tool' : 'assistant', { type: item.type, content: item });
    }
  }
  return messages;
}

function textOf(content: { type: string; text?: unknown }): string {
  return content.type === 'text' && typeof content.text === 'string' ? content.text : '';
}

function contentPart(content: { type: string; [field: string]: unknown }): GenAiPart {
  if (content.type === 'text') return { type: 'text', content: textOf(content) };
  const part: GenAiPart = { type: content.uri === undefined ? 'blob' : 'uri', modality: content.type };
  if (typeof content.mime_type === 'string') part.mime_type = content.mime_type;
  if (typeof content.uri === 'string') part.uri = content.uri;
  return part;
}
