/** Legacy `outputs` (flat contents) ⇄ canonical output items. */
import type { Item } from '../canonical.ts';
import type { Content } from '../wire/content.ts';
import { groupContents, itemContents } from './item-groups.ts';

/** Consecutive media outputs become one `model_output` item; every other output is its own item. */
export const legacyContentsToItems = (outputs: readonly Content[]): Item[] =>
  groupContents(outputs, 'model_output');

/** Items as legacy outputs: `model_output` content flattened, `user_input` dropped, others one-to-one. */
export const itemsToLegacyContents = (items: readonly Item[]): Content[] =>
  items.flatMap((item) => (item.type === 'user_input' ? [] : itemContents(item)));
