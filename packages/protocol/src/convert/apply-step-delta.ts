/** How one `step.delta` changes the step it belongs to (function-call argument fragments excepted). */
import type { ImageContent, MediaContent, TextContent } from '../wire/content.ts';
import type { StepDelta } from '../wire/events.ts';
import type { Step, ThoughtStep } from '../wire/step.ts';

const MEDIA_TYPES = new Set(['image', 'audio', 'document', 'video']);
/** The fields of a text delta applied on their own (the rest are merged into the text part). */
const TEXT_DELTA_FIELDS = new Set(['type', 'text', 'annotations']);

/** The step a delta belongs to when its step.start was never seen (a stream joined mid-way). */
export function impliedStep(deltaType: string): Step {
  if (deltaType === 'text' || deltaType === 'text_annotation_delta' || MEDIA_TYPES.has(deltaType)) {
    return { type: 'model_output', content: [] };
  }
  if (deltaType === 'thought_summary' || deltaType === 'thought_signature') return { type: 'thought' };
  if (deltaType === 'arguments_delta') return { type: 'function_call', id: '', name: '', arguments: {} };
  return { type: deltaType } as Step;
}

/** Mutates `step`: texts concatenate, media append, thought summaries/signatures apply, tool fields merge. */
export function applyStepDelta(step: Step, delta: StepDelta): void {
  const fields = delta as Record<string, unknown> & { type: string };
  if (step.type === 'model_output') {
    step.content ??= [];
    applyToContent(step.content, fields);
    return;
  }
  if (step.type === 'thought') {
    if (delta.type === 'thought_summary' && delta.content !== undefined) {
      step.summary = [...summaryItems(step.summary), delta.content];
    } else if (delta.type === 'thought_signature') {
      step.signature = delta.signature;
    }
    return;
  }
  if (delta.type === 'arguments_delta' || step.type === 'user_input') return;
  const { type: _type, ...rest } = fields;
  Object.assign(step, rest);
}

function applyToContent(content: MediaContent[], delta: Record<string, unknown> & { type: string }): void {
  const last = content.at(-1);
  if (delta.type === 'text') {
    const { text, annotations } = delta as Partial<TextContent>;
    const target = last?.type === 'text' ? last : pushText(content);
    target.text += text ?? '';
    // Any other field is merged. Key by key, not through a rest pattern's copy (a dictionary-mode object,
    // slow to make) nor `Object.keys` (an array per delta): this runs for every delta of every answer.
    for (const key in delta) {
      if (Object.hasOwn(delta, key) && !TEXT_DELTA_FIELDS.has(key))
        (target as Record<string, unknown>)[key] = delta[key];
    }
    if (annotations !== undefined) target.annotations = [...(target.annotations ?? []), ...annotations];
    return;
  }
  if (delta.type === 'text_annotation_delta') {
    const target = last?.type === 'text' ? last : pushText(content);
    const annotations = (delta.annotations ?? []) as TextContent['annotations'] & object;
    target.annotations = [...(target.annotations ?? []), ...annotations];
    return;
  }
  if (MEDIA_TYPES.has(delta.type)) {
    // A shell opened by step.start (no data yet) is filled; otherwise each media delta is one more part.
    if (last?.type === delta.type && last.data === undefined && last.uri === undefined)
      Object.assign(last, delta);
    else content.push({ ...delta } as MediaContent);
  }
}

function pushText(content: MediaContent[]): TextContent {
  const text: TextContent = { type: 'text', text: '' };
  content.push(text);
  return text;
}

/** Some previews show a thought summary as a bare string: it is one text item. */
export function summaryItems(summary: ThoughtStep['summary']): (TextContent | ImageContent)[] {
  if (summary === undefined) return [];
  return typeof summary === 'string' ? [{ type: 'text', text: summary }] : summary;
}
