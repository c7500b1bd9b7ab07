/** Citation sources from tool results: search hits and successfully read pages, in the order they appear. */
import type { Item } from '@interplay/protocol';
import type { CitationSource } from './citations.ts';

/**
 * Sources for `urlCitations`, from `google_search_result` and `url_context_result` items, in order — so a
 * marker `[n]` in the answer means the n-th source of all the given results.
 */
export function citationSources(items: Item | readonly Item[]): CitationSource[] {
  const list: readonly Item[] = Array.isArray(items) ? items : [items as Item];
  const sources: CitationSource[] = [];
  for (const item of list) {
    if (item.type !== 'google_search_result' && item.type !== 'url_context_result') continue;
    const result = Array.isArray(item.result) ? item.result : [item.result];
    for (const entry of result as {
      url?: unknown;
      title?: unknown;
      snippet?: unknown;
      text?: unknown;
      status?: unknown;
    }[]) {
      if (!entry || typeof entry.url !== 'string') continue;
      if (item.type === 'url_context_result' && entry.status !== 'success') continue;
      const text =
        typeof entry.text === 'string'
          ? entry.text
          : typeof entry.snippet === 'string'
            ? entry.snippet
            : undefined;
      sources.push({
        url: entry.url,
        ...(typeof entry.title === 'string' && { title: entry.title }),
        ...(text !== undefined && { text }),
      });
    }
  }
  return sources;
}
