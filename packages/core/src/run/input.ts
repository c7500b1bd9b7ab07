/** User input → canonical items, and the items the loop reads back (calls, text, results). */
import type { FunctionResultStep, Item, MediaContent } from '@interplay/protocol';
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
  // Plain loops here and below: these run on every step, and `flatMap` costs far more than it looks.
  const calls: ToolCall[] = [];
  for (const item of output) {
    if (item.type === 'function_call')
      calls.push({ id: item.id, name: item.name, arguments: item.arguments });
  }
  return calls;
}

/** The text of a step's answer: every text part of its `model_output` items. */
export function textOf(output: readonly Item[]): string {
  let text = '';
  for (const item of output) {
    if (item.type !== 'model_output') continue;
    // `?? ''`: what `join` made of a missing text.
    for (const c of item.content ?? []) if (c.type === 'text') text += c.text ?? '';
  }
  return text;
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
