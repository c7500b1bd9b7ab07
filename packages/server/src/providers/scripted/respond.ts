/** Turns a matched rule's `respond` items into provider events: text in word-sized deltas, the rest whole. */
import type { Annotation, ImageContent, Item, TextContent } from '@interplay/protocol';
import { newCallId } from '../../runtime/ids.ts';
import type { MediaOutput, ProviderEvent } from '../provider.ts';
import { jsonFromSchema } from './json-from-schema.ts';
import type { RespondItem } from './script.ts';
import { countTokens } from './tokens.ts';

export interface RespondOptions {
  /** The request's `output_format.schema`, for `json` items. */
  schema: Record<string, unknown> | undefined;
  ruleIndex: number;
}

/** What the response cost, for usage. */
export interface ResponseTokens {
  output: number;
  thought: number;
}

/** A 1×1 PNG and 0.25 s of silence: media answers work without shipping files. */
const PLACEHOLDER_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PLACEHOLDER_PCM = Buffer.alloc(12_000).toString('base64');

/**
 * The events for `items` (already filled), all at once, and the tokens they cost. The whole answer is known
 * before the first event: the provider paces them (`delay_ms` after each) or hands them over together.
 */
export function respond(
  items: readonly RespondItem[],
  options: RespondOptions,
): { events: ProviderEvent[]; tokens: ResponseTokens } {
  const events: ProviderEvent[] = [];
  const tokens: ResponseTokens = { output: 0, thought: 0 };
  let thoughts = 0;
  for (const item of items) {
    switch (item.type) {
      case 'text':
      case 'json': {
        const text = item.type === 'text' ? item.text : jsonText(item.value, options.schema);
        tokens.output += countTokens(text);
        const words = text.match(/\s*\S+\s*/g) ?? [text];
        const annotations = item.type === 'text' ? (item.annotations as Annotation[] | undefined) : undefined;
        for (let i = 0; i < words.length; i++) {
          const word = words[i] as string;
          events.push(
            annotations && i === words.length - 1
              ? { type: 'text', text: word, annotations }
              : { type: 'text', text: word },
          );
        }
        break;
      }
      case 'thought': {
        const { summary, signature } = item;
        tokens.thought += Math.max(countTokens(summary), 1);
        thoughts += 1;
        events.push({
          type: 'thought',
          signature: signature ?? thoughtSignature(options.ruleIndex, thoughts),
          ...(summary ? { summary: summary as (TextContent | ImageContent)[] } : {}),
        });
        break;
      }
      case 'image':
      case 'audio':
      case 'video':
      case 'document':
        events.push({ type: 'media', content: media(item) });
        break;
      default: {
        const call = { ...item, id: item.id ?? newCallId() } as Item;
        tokens.output += countTokens(call);
        events.push({ type: 'item', item: call });
      }
    }
  }
  return { events, tokens };
}

function jsonText(value: unknown, schema: Record<string, unknown> | undefined): string {
  return JSON.stringify(value !== undefined ? value : schema ? jsonFromSchema(schema) : {});
}

function media(item: Extract<RespondItem, { type: 'image' | 'audio' | 'video' | 'document' }>): MediaOutput {
  if (item.data !== undefined || item.uri !== undefined) return { ...item } as MediaOutput;
  if (item.type === 'image')
    return { ...item, data: PLACEHOLDER_PNG, mime_type: item.mime_type ?? 'image/png' };
  if (item.type === 'audio') {
    return { ...item, data: PLACEHOLDER_PCM, mime_type: item.mime_type ?? 'audio/L16;codec=pcm;rate=24000' };
  }
  return { ...item } as MediaOutput;
}

/** Stable per rule and position, so replays and stateless clients see the same signature. */
function thoughtSignature(ruleIndex: number, n: number): string {
  return Buffer.from(`interplay-scripted:rule${ruleIndex}:thought${n}`).toString('base64');
}
