/** Built-in server-executed tools: code_execution, url_context, google_search. See docs/server/builtin-tools.md. */
export {
  type BuiltinTools,
  type BuiltinToolsOptions,
  type BuiltinToolType,
  builtinTools,
} from './builtin-tools.ts';
export { PythonPool, type PythonPoolOptions } from './code-execution/pool.ts';
export { type CodeLimits, type ExecutionResult, PythonSandbox } from './code-execution/sandbox.ts';
export {
  type CodeExecutionTool,
  type CodeExecutionToolOptions,
  codeExecutionTool,
  formatOutcome,
} from './code-execution/tool.ts';
export type { SearchBackend, SearchHit, SearchOptions } from './google-search/backend.ts';
export { type CitationOptions, type CitationSource, urlCitations } from './google-search/citations.ts';
export {
  type CorpusDocument,
  CorpusSearch,
  loadCorpus,
  parseCorpus,
} from './google-search/corpus-backend.ts';
export { DEMO_SEARCH_CORPUS } from './google-search/demo-corpus.ts';
export { citationSources } from './google-search/sources.ts';
export {
  type GoogleSearchToolOptions,
  googleSearchTool,
  type SearchResultEntry,
} from './google-search/tool.ts';
export { builtinResultText } from './render.ts';
export { CLIENT_EXECUTED_TOOLS, SERVER_EXECUTED_TOOLS, toolPlacement } from './tool-placement.ts';
export { type PageResult, UrlFetcher, type UrlFetchOptions } from './url-context/fetch-page.ts';
export { corpusPages, type LocalPage, type LocalPages } from './url-context/local-pages.ts';
export { type UrlContextTool, type UrlContextToolOptions, urlContextTool } from './url-context/tool.ts';
