/**
 * A client that sets `previous_interaction_id` and also sends the earlier turns again (the AI SDK's provider
 * does, SPEC anchors-2026-12) would give the model every earlier turn twice. The server drops what the input
 * repeats: when the input starts with the end of the chain's history — the same turns in the same order,
 * compared by what they say (texts, call names and arguments, result call ids; thoughts and signatures left
 * aside) and including at least one of the model's own items — those leading items are taken out. When the
 * input repeats model items of the history in any other way, it is a 400 naming `input`: never a silent
 * duplicate history. A plain new turn (user text, function results) never matches and costs no store read.
 *
 * @example
 * ```ts
 * // history: [user "hi", model "hello"]; input: [user "hi", model "hello", user "and you?"]
 * dropResentHistory(input, history); // { input: [user "and you?"], dropped: 2 }
 * ```
 */
import { InteractionsError, type Item } from '@interplay/protocol';

/** Items only the model (or the server's tools) produce: a new turn never starts with one of them. */
const isModelItem = (item: Item): boolean =>
  item.type === 'model_output' || item.type === 'thought' || item.type.endsWith('_call');

/** Whether `input` holds anything that could repeat the history (else the history need not be read). */
export const mayRepeatHistory = (input: readonly Item[]): boolean => input.some(isModelItem);

export function dropResentHistory(
  input: readonly Item[],
  history: readonly Item[],
): { input: Item[]; dropped: number } {
  const inputKeys = keyed(input);
  const historyKeys = keyed(history).map((k) => k.key);
  // The longest start of the input that is the end of the history.
  for (let k = Math.min(inputKeys.length, historyKeys.length); k >= 1; k--) {
    const offset = historyKeys.length - k;
    let same = true;
    for (let i = 0; i < k && same; i++) same = inputKeys[i]!.key === historyKeys[offset + i];
    if (!same) continue;
    if (!inputKeys.slice(0, k).some((e) => isModelItem(input[e.index]!))) break;
    // Everything up to the last repeated item goes, thoughts between them included.
    const cut = inputKeys[k - 1]!.index + 1;
    return { input: input.slice(cut), dropped: cut };
  }
  const known = new Set(historyKeys);
  const repeated = inputKeys.find((e) => isModelItem(input[e.index]!) && known.has(e.key));
  if (repeated) {
    throw new InteractionsError(
      'invalid_request',
      `'input[${repeated.index}]' repeats a ${input[repeated.index]!.type} of the interactions before ` +
        `'previous_interaction_id', which already carries that history: send only the new turn ` +
        '(or leave previous_interaction_id out and send the whole history).',
      { field: `input[${repeated.index}]` },
    );
  }
  return { input: input.slice(), dropped: 0 };
}

/** Each item's comparison key with its position; thoughts have none (signatures differ between copies). */
function keyed(items: readonly Item[]): { key: string; index: number }[] {
  const out: { key: string; index: number }[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key !== undefined) out.push({ key, index });
  });
  return out;
}

function keyOf(item: Item): string | undefined {
  switch (item.type) {
    case 'thought':
      return undefined;
    case 'user_input':
    case 'model_output':
      return `${item.type}:${textOf(item.content)}`;
    case 'function_call':
      return `function_call:${String(item.name)}:${stable(item.arguments)}`;
    default:
      if (typeof item.call_id === 'string') return `${item.type}:${item.call_id}`;
      return `${item.type}:${stable(item.arguments ?? item)}`;
  }
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: unknown; text?: unknown }) =>
      part?.type === 'text' && typeof part.text === 'string' ? part.text.trim() : `[${String(part?.type)}]`,
    )
    .join('\n');
}

/** JSON with object keys sorted, so two copies of the same arguments compare equal. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
