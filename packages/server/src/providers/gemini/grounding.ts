/**
 * Gemini's own search and URL reading, reported after the answer as candidate metadata, as the steps the
 * Interactions API records for them: `groundingMetadata` → `google_search_call` (the queries Gemini ran) and
 * `google_search_result` (the sources, and the search-suggestions widget), plus `url_citation` annotations from
 * `groundingSupports` (UTF-8 byte offsets into the answer, as on our wire); `urlContextMetadata` →
 * `url_context_call` / `url_context_result`.
 */
import type { Item, UrlCitation } from '@interplay/protocol';

export interface GroundingMetadata {
  webSearchQueries?: string[];
  searchEntryPoint?: { renderedContent?: string };
  groundingChunks?: { web?: { uri?: string; title?: string } }[];
  groundingSupports?: {
    segment?: { startIndex?: number; endIndex?: number; text?: string };
    groundingChunkIndices?: number[];
  }[];
}

export interface UrlContextMetadata {
  urlMetadata?: { retrievedUrl?: string; urlRetrievalStatus?: string }[];
}

/** What the metadata of one answer becomes. */
export interface Grounding {
  /** Steps, call before result, each call marked as run by the upstream. */
  items: Item[];
  citations: UrlCitation[];
}

export function groundingSteps(
  search: GroundingMetadata | undefined,
  urls: UrlContextMetadata | undefined,
  newId: () => string,
): Grounding {
  const items: Item[] = [];
  const citations: UrlCitation[] = [];
  if (urls?.urlMetadata?.length) {
    const id = newId();
    const list = urls.urlMetadata;
    items.push(
      {
        type: 'url_context_call',
        id,
        arguments: { urls: list.map((u) => u.retrievedUrl ?? '').filter(Boolean) },
      },
      {
        type: 'url_context_result',
        call_id: id,
        result: list.map((u) => ({ url: u.retrievedUrl, status: urlStatus(u.urlRetrievalStatus) })),
      },
    );
  }
  if (search && (search.webSearchQueries?.length || search.groundingChunks?.length)) {
    const id = newId();
    const chunks = search.groundingChunks ?? [];
    const rendered = search.searchEntryPoint?.renderedContent;
    items.push(
      {
        type: 'google_search_call',
        id,
        arguments: { queries: search.webSearchQueries ?? [] },
        search_type: 'web_search',
      },
      {
        type: 'google_search_result',
        call_id: id,
        result: [
          ...(rendered ? [{ search_suggestions: rendered }] : []),
          ...chunks.map((c) => ({ url: c.web?.uri, title: c.web?.title })),
        ],
      },
    );
    for (const support of search.groundingSupports ?? []) {
      const { startIndex = 0, endIndex } = support.segment ?? {};
      if (typeof endIndex !== 'number') continue;
      for (const index of support.groundingChunkIndices ?? []) {
        const web = chunks[index]?.web;
        if (!web?.uri) continue;
        citations.push({
          type: 'url_citation',
          url: web.uri,
          ...(web.title ? { title: web.title } : {}),
          start_index: startIndex,
          end_index: endIndex,
        });
      }
    }
  }
  return { items, citations };
}

/** `URL_RETRIEVAL_STATUS_SUCCESS` → `success`, …; anything unknown is `error`. */
function urlStatus(status: string | undefined): string {
  const name = (status ?? '').replace(/^URL_RETRIEVAL_STATUS_/, '').toLowerCase();
  return ['success', 'error', 'paywall', 'unsafe'].includes(name) ? name : 'error';
}
