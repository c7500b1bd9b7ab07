/** Client and per-request options, their defaults, and URL building. */
import type { Revision } from '@interplay/protocol';
import { Agent, type Dispatcher } from 'undici';
import { VERSION } from './version.ts';

export type ApiVersion = 'v1' | 'v1beta' | 'v1alpha';

export const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';
export const DEFAULT_API_VERSION: ApiVersion = 'v1';
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;
export const USER_AGENT = `interplay-client/${VERSION}`;

/** Options of {@link InteractionsClient}. */
export interface ClientOptions<R extends Revision = 'steps'> {
  /** Sent as `x-goog-api-key`. Default `process.env.GEMINI_API_KEY`; no key header when neither is set. */
  apiKey?: string;
  /** Default `https://generativelanguage.googleapis.com`. A trailing `/` or a trailing `/v1beta` is tolerated. */
  baseUrl?: string;
  /** Path segment before `/interactions`. Default `v1` (or the version a `baseUrl` ends with). */
  apiVersion?: ApiVersion;
  /** Wire revision, sent explicitly as the `Api-Revision` header. Default `steps`. */
  revision?: R;
  /** Extra headers sent with every request (read once, when the client is made: change them per call with `RequestOptions.headers`). */
  headers?: Record<string, string>;
  /**
   * Per-request timeout in ms (default 60 000; `0` disables). Unary calls: time to the whole response.
   * Streams: time to response headers and the longest silent gap between two chunks.
   */
  timeoutMs?: number;
  /** Retries of a failed request (default 2); see docs/client/retries.md for which failures qualify. */
  maxRetries?: number;
  /** Undici dispatcher. Default: one shared keep-alive `Agent` for every client of the process. */
  dispatcher?: Dispatcher;
}

/** Options every method accepts. */
export interface RequestOptions {
  /** Aborts the call (and a stream being read); the call rejects with an {@link AbortedError}. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Extra headers for this call (override the client's). */
  headers?: Record<string, string>;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
}

let sharedAgent: Agent | undefined;

/** The process-wide keep-alive agent used when no `dispatcher` is given. */
export function defaultDispatcher(): Agent {
  sharedAgent ??= new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  return sharedAgent;
}

const VERSION_SUFFIX = /\/(v1|v1beta|v1alpha)$/;

/**
 * Normalize a base URL: strip trailing slashes and a trailing API version segment (which would otherwise be
 * doubled, e.g. `…/v1beta/v1beta/interactions`). Returns the clean origin+path and the version it named.
 */
export function normalizeBaseUrl(baseUrl: string): { base: string; version?: ApiVersion } {
  let base = baseUrl.trim().replace(/\/+$/, '');
  const m = VERSION_SUFFIX.exec(base);
  if (!m) return { base };
  base = base.slice(0, -m[0].length).replace(/\/+$/, '');
  return { base, version: m[1] as ApiVersion };
}

/** `/interactions[/{id}[/{action}]][?query]`, the path after `{base}/{version}`. */
export function interactionsPath(
  id?: string,
  action?: string,
  query?: Record<string, string | undefined>,
): string {
  let path = '/interactions';
  if (id !== undefined) path += `/${encodeURIComponent(id)}`;
  if (action !== undefined) path += `/${action}`;
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
