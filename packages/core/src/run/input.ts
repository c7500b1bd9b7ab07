/** User input → canonical items, and the items the loop reads back (calls) and sends (results). */
import type { FunctionCallStep, FunctionResultStep, Item, MediaContent } from '@interplay/protocol';
import type { ToolCall, ToolResult } from './types.ts';

/** What a run can start from: text, media contents (one user turn), or canonical items. */
export type RunInput = string | MediaContent[] | Item[];

const isItem = (value: { type: string }): boolean =>
  !['text', 'image', 'audio', 'document', 'video'].includes(value.type);

export function toItems(input: RunInput): Item[] {
  if (typeof input === 'string') return [{ type: 'user_input', content: [{ type: 'text', text: input }] }];
  if (input.length > 0 && input.every((entry) => !isItem(entry))) {
    return [{ type: 'user_input', content: input as MediaContent[] }];
  }
  return input as Item[];
}

/** The function calls among a step's output items. */
export function toolCallsOf(output: readonly Item[]): ToolCall[] {
  return output
    .filter((item): item is FunctionCallStep => item.type === 'function_call')
    .map((item) => ({ id: item.id, name: item.name, arguments: item.arguments }));
}

export function functionResultItem(result: ToolResult): FunctionResultStep {
  const item: FunctionResultStep = {
    type: 'function_result',
    call_id: result.callId,
    name: result.name,
    result: result.result,
  };
  if (result.isError) item.is_error = true;
  return item;
}
