/**
 * `builtinTools(options)`: the server-executed built-in tools, ready for the registry.
 *
 * @example
 * ```ts
 * const builtins = builtinTools({ allowHosts: ['127.0.0.1'], searchCorpusPath: 'corpus.jsonl' });
 * const engine = createEngine({ providers, tools: createServerToolRegistry(builtins.tools) });
 * // on shutdown:
 * await builtins.close();
 * ```
 */
import type { ServerTool } from '../tools/server-tool.ts';
import type { PythonPoolOptions } from './code-execution/pool.ts';
import { codeExecutionTool } from './code-execution/tool.ts';
import type { SearchBackend } from './google-search/backend.ts';
import { CorpusSearch } from './google-search/corpus-backend.ts';
import { type GoogleSearchToolOptions, googleSearchTool } from './google-search/tool.ts';
import { corpusPages } from './url-context/local-pages.ts';
import { type UrlContextToolOptions, urlContextTool } from './url-context/tool.ts';

export type BuiltinToolType = 'code_execution' | 'url_context' | 'google_search';

export interface BuiltinToolsOptions {
  /** Private/loopback hosts `url_context` may fetch anyway (`--allow-host HOST`, repeatable). */
  allowHosts?: readonly string[];
  /** JSONL corpus (`{"url","title","text"}` per line) for `google_search` (`--search-corpus FILE.jsonl`). */
  searchCorpusPath?: string;
  /** Any search backend; wins over `searchCorpusPath`. */
  searchBackend?: SearchBackend;
  /**
   * `url_context` answers the URLs of the search corpus's own documents from the corpus, with no network:
   * offline, their made-up hosts do not exist. Every other URL is fetched under the address policy as
   * before. Needs a corpus (`searchCorpusPath`, or a `CorpusSearch` as `searchBackend`). `interplay serve`
   * turns it on for the offline (scripted) model.
   */
  corpusPages?: boolean;
  /** Python sandbox: limits (`timeoutMs`, `memoryLimitMb`, …) and `workers`. */
  code?: PythonPoolOptions;
  /** `url_context` fetch limits (`maxBytes`, `timeoutMs`, `maxRedirects`, …); `allowHosts` above is merged in. */
  url?: Omit<UrlContextToolOptions, 'allowHosts' | 'fetcher' | 'localPages'>;
  search?: Omit<GoogleSearchToolOptions, 'backend'>;
  /** Tools to leave out, e.g. `['code_execution']` where no code should run. */
  disable?: readonly BuiltinToolType[];
  /** Start the Python interpreter now (~2 s in the background) rather than at the first call. */
  warmCode?: boolean;
}

export interface BuiltinTools {
  /** For `createServerToolRegistry(tools)`. */
  readonly tools: ServerTool[];
  /** Stops the Python workers and closes `url_context`'s connections. */
  close(): Promise<void>;
}

export function builtinTools(options: BuiltinToolsOptions = {}): BuiltinTools {
  const disabled = new Set(options.disable ?? []);
  const tools: ServerTool[] = [];
  const closers: (() => Promise<void>)[] = [];
  if (!disabled.has('code_execution')) {
    const code = codeExecutionTool(options.code);
    if (options.warmCode) code.pool.warm().catch(() => {}); // a start failure surfaces on the first call
    tools.push(code);
    closers.push(() => code.close());
  }
  // A corpus file is read now, so a bad --search-corpus fails at start-up, not at the first search.
  const backend =
    options.searchBackend ??
    (options.searchCorpusPath ? CorpusSearch.fromFile(options.searchCorpusPath) : undefined);
  if (!disabled.has('url_context')) {
    if (options.corpusPages && !(backend instanceof CorpusSearch))
      throw new Error('corpusPages needs a search corpus (searchCorpusPath, or a CorpusSearch backend)');
    const url = urlContextTool({
      ...options.url,
      allowHosts: options.allowHosts ?? [],
      ...(options.corpusPages &&
        backend instanceof CorpusSearch && { localPages: corpusPages(backend.documents) }),
    });
    tools.push(url);
    closers.push(() => url.close());
  }
  if (!disabled.has('google_search')) {
    tools.push(googleSearchTool({ ...options.search, ...(backend && { backend }) }));
  }
  return {
    tools,
    close: async () => {
      await Promise.all(closers.map((close) => close()));
    },
  };
}
