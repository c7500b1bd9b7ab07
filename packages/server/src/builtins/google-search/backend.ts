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

export interface SearchBackend {
  search(query: string, options: SearchOptions): Promise<SearchHit[]>;
}
