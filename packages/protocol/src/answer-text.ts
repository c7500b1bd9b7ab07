/**
 * The answer text of an interaction: the text of its last `model_output` item. Text the model wrote before
 * a tool call or a thought ("Let me look that up") is not part of the answer; an answer made of text and
 * images in one `model_output` keeps all of its text parts, joined. `''` when there is no `model_output`.
 *
 * One meaning for every reader: a run step's `text`, a run's `result.text`, a flow step's `text` (Deep
 * Research's report) and the CLI's printed answer.
 *
 * @example
 * answerText([
 *   { type: 'model_output', content: [{ type: 'text', text: 'Let me search.' }] },
 *   { type: 'google_search_call', id: 's1', arguments: { queries: ['tpu'] } },
 *   { type: 'model_output', content: [{ type: 'text', text: 'TPUs are ' }, { type: 'text', text: 'ASICs.' }] },
 * ]); // → 'TPUs are ASICs.'
 */
import type { Item } from './canonical.ts';
import type { ModelOutputStep } from './wire/step.ts';

export function answerText(output: readonly Item[]): string {
  const last = output.findLast((item): item is ModelOutputStep => item.type === 'model_output');
  return (last?.content ?? []).map((part) => (part.type === 'text' ? (part.text ?? '') : '')).join('');
}
