/**
 * The conversation (history, input, this turn's steps) as Chat Completions `messages`: user input with its
 * media parts, assistant text, assistant `tool_calls` (client functions and the server's built-in / MCP calls
 * alike, see builtin-functions.ts) followed by one `tool` message per result. Thoughts are not sent back:
 * Chat Completions has no input form for reasoning.
 */
import type { Item, MediaContent } from '@interplay/protocol';
import { asFunctionCall, asFunctionResult } from '../shared/builtin-functions.ts';
import type { MediaInput, ReadyMedia } from '../shared/media-input.ts';

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'input_audio'; input_audio: { data: string; format: string } }
  | { type: 'file'; file: { file_data: string; filename: string } }
  | { type: 'video_url'; video_url: { url: string } };

export interface ToolCallOut {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCallOut[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export async function toMessages(
  systemInstruction: string | undefined,
  items: readonly Item[],
  media: MediaInput,
  signal: AbortSignal,
): Promise<ChatMessage[]> {
  const messages: ChatMessage[] = [];
  if (systemInstruction) messages.push({ role: 'system', content: systemInstruction });
  /** Media that tool results returned, sent as a user message after the group of tool messages. */
  let pendingMedia: ContentPart[] = [];
  const flushMedia = () => {
    if (pendingMedia.length === 0) return;
    messages.push({
      role: 'user',
      content: [{ type: 'text', text: 'Media returned by the tools:' }, ...pendingMedia],
    });
    pendingMedia = [];
  };
  for (const item of items) {
    const result = asFunctionResult(item);
    if (result) {
      messages.push({
        role: 'tool',
        tool_call_id: result.callId,
        content: result.isError ? `Error: ${result.text}` : result.text,
      });
      for (const part of result.media) pendingMedia.push(await toPart(part, media, signal));
      continue;
    }
    flushMedia();
    const call = asFunctionCall(item);
    if (call) {
      const out: ToolCallOut = {
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      };
      const last = messages.at(-1);
      if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), out];
      else messages.push({ role: 'assistant', content: null, tool_calls: [out] });
      continue;
    }
    if (item.type === 'user_input') {
      messages.push({ role: 'user', content: await userContent(item.content ?? [], media, signal) });
    } else if (item.type === 'model_output') {
      const text = assistantText(item.content ?? []);
      const last = messages.at(-1);
      // Text after calls in one answer: a new assistant message (a call's results must come between).
      if (last?.role === 'assistant' && !last.tool_calls && typeof last.content === 'string')
        last.content += text;
      else messages.push({ role: 'assistant', content: text });
    }
    // thought and other steps: nothing a Chat Completions upstream can read.
  }
  flushMedia();
  return messages;
}

async function userContent(
  content: readonly MediaContent[],
  media: MediaInput,
  signal: AbortSignal,
): Promise<string | ContentPart[]> {
  if (content.every((p) => p.type === 'text'))
    return content.map((p) => (p.type === 'text' ? p.text : '')).join('');
  const parts: ContentPart[] = [];
  for (const part of content) parts.push(await toPart(part, media, signal));
  return parts;
}

async function toPart(part: MediaContent, media: MediaInput, signal: AbortSignal): Promise<ContentPart> {
  if (part.type === 'text') return { type: 'text', text: part.text };
  return wirePart(await media.prepare(part, signal));
}

function wirePart(ready: ReadyMedia): ContentPart {
  const url = ready.kind === 'uri' ? ready.uri : `data:${ready.mimeType};base64,${ready.data}`;
  switch (ready.type) {
    case 'image':
      return { type: 'image_url', image_url: { url } };
    case 'video':
      return { type: 'video_url', video_url: { url } };
    case 'audio':
      return {
        type: 'input_audio',
        input_audio: { data: ready.kind === 'data' ? ready.data : '', format: audioFormat(ready.mimeType) },
      };
    case 'document':
      return { type: 'file', file: { file_data: url, filename: 'document.pdf' } };
  }
}

function audioFormat(mime: string | undefined): string {
  return /mpeg|mp3/.test(mime ?? '') ? 'mp3' : 'wav';
}

/** An answer's text; a generated image or clip in it is noted in words, as the upstream cannot read it back. */
function assistantText(content: readonly MediaContent[]): string {
  return content.map((p) => (p.type === 'text' ? p.text : `[${p.type} output]`)).join('');
}
