/**
 * `google_search`: runs each query of a `google_search_call` on the search backend → `google_search_result`.
 * The result starts with one `{search_suggestions}` entry — the HTML chips of the queries, as Gemini renders
 * its search suggestions, and all the SDKs' `GoogleSearchResult` type declares, so a typed client reads it at
 * `result[0]` as it does from the live API — then one entry per hit, `{url, title, snippet, query}` (the model
 * reads these; citations come from them, see citations.ts).
 */
import type { Item } from '@interplay/protocol';
import type { ServerTool } from '../../tools/server-tool.ts';
import { MAX_QUERY_CHARS, type SearchBackend, type SearchHit } from './backend.ts';

export interface GoogleSearchToolOptions {
  /** Where to search. Without one, calls end in an `is_error` result that says how to configure one. */
  backend?: SearchBackend;
  /** Hits kept per query. Default 5. */
  resultsPerQuery?: number;
  /** Queries run per call. Default 5. */
  maxQueries?: number;
}

export interface SearchResultEntry {
  url: string;
  title: string;
  snippet: string;
  /** The query that found it. */
  query: string;
}

export function googleSearchTool(options: GoogleSearchToolOptions = {}): ServerTool {
  const { backend, resultsPerQuery = 5, maxQueries = 5 } = options;
  return {
    toolType: 'google_search',
    callType: 'google_search_call',
    async execute(call, ctx) {
      const callId = String(call.id ?? '');
      const queries = readQueries(call).slice(0, maxQueries);
      if (queries.length === 0) return errorResult(callId, 'the call has no queries');
      if (!backend) {
        return errorResult(
          callId,
          'this server has no search backend (start it with --search-corpus FILE.jsonl)',
        );
      }
      const seen = new Set<string>();
      const entries: SearchResultEntry[] = [];
      for (const query of queries) {
        const hits: SearchHit[] = await backend.search(query, { limit: resultsPerQuery, signal: ctx.signal });
        for (const hit of hits) {
          if (seen.has(hit.url)) continue; // the same page found by two queries is listed once
          seen.add(hit.url);
          entries.push({ url: hit.url, title: hit.title, snippet: hit.snippet, query });
        }
      }
      return {
        type: 'google_search_result',
        call_id: callId,
        result: [{ search_suggestions: suggestionChips(queries) }, ...entries],
      } as Item;
    },
  };
}

function readQueries(call: Item): string[] {
  const args = (call.arguments ?? {}) as { queries?: unknown; query?: unknown };
  const list = Array.isArray(args.queries)
    ? args.queries
    : typeof args.query === 'string'
      ? [args.query]
      : [];
  return list
    .filter((q): q is string => typeof q === 'string' && q.trim() !== '')
    .map((q) => cutQuery(q.trim()));
}

/** A query cut to {@link MAX_QUERY_CHARS}, at a word boundary when there is one. */
function cutQuery(query: string): string {
  if (query.length <= MAX_QUERY_CHARS) return query;
  const cut = query.slice(0, MAX_QUERY_CHARS);
  const space = cut.lastIndexOf(' ');
  return space > 0 ? cut.slice(0, space) : cut;
}

/** The queries as HTML chips (Gemini's `search_suggestions` is such a widget, to show next to the answer). */
export function suggestionChips(queries: readonly string[]): string {
  const chips = queries.map((q) => `<span class="chip">${escapeHtml(q)}</span>`).join('');
  return `<div class="search-suggestions">${chips}</div>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorResult(callId: string, message: string): Item {
  return {
    type: 'google_search_result',
    call_id: callId,
    result: [],
    is_error: true,
    error_message: message,
  } as Item;
}
