/** How flat content lists map to items: consecutive media share one item, everything else is its own. */
import type { Item } from '../canonical.ts';
import { type Content, isMediaContent, type MediaContent } from '../wire/content.ts';

/**
 * Consecutive media contents (text/image/audio/document/video) become one `as` item; any other entry (a
 * thought, a call, a result, or an already-typed step) is its own item, unchanged: tool calls and results
 * have the same fields as contents and as steps.
 */
export function groupContents(
  entries: readonly (Content | Item)[],
  as: 'user_input' | 'model_output',
): Item[] {
  const items: Item[] = [];
  let group: MediaContent[] | undefined;
  for (const entry of entries) {
    if (isMediaContent(entry)) {
      if (group === undefined) {
        group = [];
        items.push({ type: as, content: group });
      }
      group.push(entry);
    } else {
      group = undefined;
      items.push(entry);
    }
  }
  return items;
}

/** Items the user side supplies: its own input and the results of the client's function calls. */
export const isUserSideItem = (item: Item): boolean =>
  item.type === 'user_input' || item.type === 'function_result';

/** The contents an item stands for in a flat legacy list. */
export function itemContents(item: Item): Content[] {
  if (item.type === 'user_input' || item.type === 'model_output') return item.content ?? [];
  // Steps-only items (retrieval_call, processing_call, …) have no legacy type; they pass as opaque contents.
  return [item as Content];
}
