/**
 * `url_context`: fetches the URLs of a `url_context_call` → `url_context_result`. Each result entry is the wire's
 * `{url, status}` plus what the model needs to read the page: `title`, `text`, `final_url`, `content_type`,
 * and `error` for a page that was not read. Providers hand those to the model (see render.ts).
 */
import type { Item } from '@interplay/protocol';
import PQueue from 'p-queue';
import type { ServerTool } from '../../tools/server-tool.ts';
import { type PageResult, UrlFetcher, type UrlFetchOptions } from './fetch-page.ts';

export interface UrlContextToolOptions extends UrlFetchOptions {
  /** Use this fetcher instead of creating one. */
  fetcher?: UrlFetcher;
  /** URLs read per call; the rest get status `error`. Default 20 (Gemini's own limit). */
  maxUrls?: number;
  /** URLs fetched at once within a call. Default 4. */
  concurrency?: number;
}

export interface UrlContextTool extends ServerTool {
  readonly fetcher: UrlFetcher;
  close(): Promise<void>;
}

export function urlContextTool(options: UrlContextToolOptions = {}): UrlContextTool {
  const { fetcher: given, maxUrls = 20, concurrency = 4, ...fetchOptions } = options;
  const fetcher = given ?? new UrlFetcher(fetchOptions);
  return {
    toolType: 'url_context',
    callType: 'url_context_call',
    fetcher,
    async execute(call, ctx) {
      const callId = String(call.id ?? '');
      const urls = readUrls(call);
      if (urls.length === 0) {
        return {
          type: 'url_context_result',
          call_id: callId,
          result: [],
          is_error: true,
          error_message: 'the call names no URLs',
        };
      }
      const queue = new PQueue({ concurrency });
      const pages = await Promise.all(
        urls.map((url, i) =>
          i < maxUrls
            ? queue.add(() => fetcher.fetch(url, ctx.signal))
            : Promise.resolve<PageResult>({
                url,
                status: 'error',
                error: `more than ${maxUrls} URLs in one call`,
              }),
        ),
      );
      return { type: 'url_context_result', call_id: callId, result: pages } as Item;
    },
    close: () => (given ? Promise.resolve() : fetcher.close()),
  };
}

function readUrls(call: Item): string[] {
  const urls = (call.arguments as { urls?: unknown } | undefined)?.urls;
  return Array.isArray(urls) ? urls.filter((u): u is string => typeof u === 'string' && u.trim() !== '') : [];
}
