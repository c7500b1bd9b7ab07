/** Where `google_search` looks things up. The offline default is a local corpus (corpus-backend.ts). */

export interface SearchHit {
  url: string;
  title: string;
  /** A short passage of the document around the query's words. */
  snippet: string;
  /** Relevance as the backend measures it; higher is better, comparable within one search only. */
  score: number;
}

export interface SearchOptions {
  /** Most hits returned. */
  limit: number;
  signal?: AbortSignal;
}

/**
 * Longest query a backend is given (Google's own limit): the tool cuts longer ones, so the work of one search
 * is bounded whatever a client or model sends.
 */
export const MAX_QUERY_CHARS = 2_048;

export interface SearchBackend {
  /** `query` is at most {@link MAX_QUERY_CHARS} characters when it comes from the google_search tool. */
  search(query: string, options: SearchOptions): Promise<SearchHit[]>;
}
