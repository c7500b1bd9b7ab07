/**
 * The conversation (history, input, this turn's steps) as Messages API `messages`: user input with images and
 * PDF documents; the model's turns as `thinking` (text and signature exactly as Claude sent them) and
 * `redacted_thinking` blocks first, then text, then `tool_use` — so a thinking block is replayed before the
 * `tool_use` it led to, as Claude requires; function results as `tool_result` blocks. Only Claude's own
 * signatures are sent (shared/signatures.ts): another provider's reasoning is dropped.
 */
import type { Item, MediaContent } from '@interplay/protocol';
import { asFunctionCall, asFunctionResult } from '../shared/builtin-functions.ts';
import type { MediaInput, ReadyMedia } from '../shared/media-input.ts';
import { openSignature } from '../shared/signatures.ts';

export type Block = Record<string, unknown> & { type: string };

export interface Message {
  role: 'user' | 'assistant';
  content: Block[];
}

export async function toMessages(
  items: readonly Item[],
  media: MediaInput,
  signal: AbortSignal,
): Promise<Message[]> {
  const messages: Message[] = [];
  const push = (role: Message['role'], ...blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const item of items) {
    if (item.type === 'user_input') {
      push('user', ...(await userBlocks(item.content ?? [], media, signal)));
      continue;
    }
    if (item.type === 'thought') {
      const sig = openSignature('anthropic', item.signature);
      if (!sig) continue;
      if (sig.kind === 'redacted') push('assistant', { type: 'redacted_thinking', data: sig.raw });
      else push('assistant', { type: 'thinking', thinking: summaryText(item), signature: sig.raw });
      continue;
    }
    if (item.type === 'model_output') {
      const text = (item.content ?? [])
        .map((p) => (p.type === 'text' ? p.text : `[${p.type} output]`))
        .join('');
      if (text !== '') push('assistant', { type: 'text', text });
      continue;
    }
    const call = asFunctionCall(item);
    if (call) {
      push('assistant', { type: 'tool_use', id: toolId(call.id), name: call.name, input: call.arguments });
      continue;
    }
    const result = asFunctionResult(item);
    if (result) {
      const extra = await userBlocks(result.media, media, signal);
      const content: Block[] | string =
        extra.length === 0 ? result.text : [{ type: 'text', text: result.text || '(no output)' }, ...extra];
      push('user', {
        type: 'tool_result',
        tool_use_id: toolId(result.callId),
        content,
        ...(result.isError ? { is_error: true } : {}),
      });
    }
  }
  return messages;
}

/** Claude's tool ids are `[a-zA-Z0-9_-]+`; ids from other providers are mapped into that alphabet. */
function toolId(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_') || 'call';
}

function summaryText(item: Item): string {
  const summary = item.summary;
  if (typeof summary === 'string') return summary;
  if (!Array.isArray(summary)) return '';
  return summary.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

async function userBlocks(
  content: readonly MediaContent[],
  media: MediaInput,
  signal: AbortSignal,
): Promise<Block[]> {
  const blocks: Block[] = [];
  for (const part of content) {
    if (part.type === 'text') {
      if (part.text !== '') blocks.push({ type: 'text', text: part.text });
      continue;
    }
    blocks.push(wireBlock(await media.prepare(part, signal)));
  }
  return blocks;
}

function wireBlock(ready: ReadyMedia): Block {
  const source =
    ready.kind === 'uri'
      ? { type: 'url', url: ready.uri }
      : { type: 'base64', media_type: ready.mimeType, data: ready.data };
  return { type: ready.type === 'document' ? 'document' : 'image', source };
}

/**
 * Whether the conversation ends inside a tool-use loop whose assistant message does not start with a thinking
 * block (its calls came from another provider, or from a call made without thinking). Claude refuses thinking
 * there ("a final assistant message must start with a thinking block"), so such a call runs without it; the
 * next user message starts a new turn where thinking applies again.
 */
export function inUnthoughtToolLoop(messages: readonly Message[]): boolean {
  const last = messages.at(-1);
  const assistant = messages.at(-2);
  if (last?.role !== 'user' || assistant?.role !== 'assistant') return false;
  if (!last.content.some((b) => b.type === 'tool_result')) return false;
  const first = assistant.content[0]?.type;
  return first !== 'thinking' && first !== 'redacted_thinking';
}
