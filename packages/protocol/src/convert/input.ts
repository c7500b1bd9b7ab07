/** Request input of both revisions ⇄ canonical items. */
import type { Item } from '../canonical.ts';
import type { Content, TextContent, Turn } from '../wire/content.ts';
import type { LegacyCreateRequest, StepsCreateRequest } from '../wire/request.ts';
import type { Step } from '../wire/step.ts';
import { groupContents, isUserSideItem, itemContents } from './item-groups.ts';
import { isRecord } from './objects.ts';

export type LegacyInput = LegacyCreateRequest['input'];
export type StepsInput = StepsCreateRequest['input'];

const text = (value: string): TextContent => ({ type: 'text', text: value });

/** Legacy input (string, Content, Content[] or Turn[]) as items. */
export function legacyInputToItems(input: LegacyInput): Item[] {
  if (typeof input === 'string') return [{ type: 'user_input', content: [text(input)] }];
  if (!Array.isArray(input)) return groupContents([input], 'user_input');
  if (isTurnList(input)) return input.flatMap(turnToItems);
  return groupContents(input as Content[], 'user_input');
}

/** Turns have no `type`; contents always do. */
const isTurnList = (list: readonly unknown[]): list is Turn[] =>
  list.length > 0 && list.every((entry) => isRecord(entry) && entry.type === undefined);

function turnToItems(turn: Turn): Item[] {
  const as = turn.role === 'model' ? 'model_output' : 'user_input';
  const contents = typeof turn.content === 'string' ? [text(turn.content)] : (turn.content ?? []);
  const items = groupContents(contents, as);
  // An empty turn still marks a turn boundary.
  return items.length > 0 ? items : [{ type: as, content: [] }];
}

type LegacyTurn = { role: 'user' | 'model'; content: Content[] };

/**
 * Items as legacy input: one user turn of input and function results is a `Content[]`; anything with model
 * items, or several user turns, is a `Turn[]` (function results in user turns, everything else in model turns).
 */
export function itemsToLegacyInput(items: readonly Item[]): Content[] | Turn[] {
  const turns: LegacyTurn[] = [];
  let previous: Item | undefined;
  for (const item of items) {
    const role = isUserSideItem(item) ? 'user' : 'model';
    const current = turns.at(-1);
    // Within one turn consecutive media form one item, so two such items in a row came from two turns.
    const grouped = item.type === 'user_input' || item.type === 'model_output';
    if (current === undefined || current.role !== role || (grouped && previous?.type === item.type)) {
      turns.push({ role, content: itemContents(item) });
    } else {
      current.content.push(...itemContents(item));
    }
    previous = item;
  }
  const [first] = turns;
  if (first === undefined) return [];
  if (turns.length === 1 && first.role === 'user') return first.content;
  return turns;
}

/** Steps input (string, Content, Content[] or Step[]) as items: media not already in a step form a `user_input`. */
export function stepsInputToItems(input: StepsInput): Item[] {
  if (typeof input === 'string') return [{ type: 'user_input', content: [text(input)] }];
  return groupContents(Array.isArray(input) ? input : [input], 'user_input');
}

/** Items as steps input: canonical items are steps already. */
export const itemsToStepsInput = (items: readonly Item[]): Step[] => [...items];
