/**
 * @interplay/server — the self-hosted Interactions API: routes, store, background runner, providers.
 * Start one with {@link createInteractionsServer}; `interplay serve` wraps it.
 */
export * from './agents/index.ts';
export { collectKeys, isLoopbackHost, KeyRing, ownerOfKey } from './auth/keys.ts';
export * from './builtins/index.ts';
export {
  DEFAULT_RETENTION_MS,
  type InteractionsServerOptions,
  parseDuration,
  type ResolvedOptions,
  resolveOptions,
} from './config.ts';
export type { Engine, EngineEvent, TurnInput, TurnOutcome, TurnSink } from './engine/contract.ts';
export { createEngine, type EngineOptions } from './engine/engine.ts';
export { type McpServerServerTool, type McpServerToolOptions, mcpServerTool } from './mcp/mcp-server-tool.ts';
export * from './net/index.ts';
export type { AnthropicProviderOptions } from './providers/anthropic/options.ts';
export type { AnthropicProvider } from './providers/anthropic/provider.ts';
export type { GeminiProviderOptions } from './providers/gemini/options.ts';
export type { GeminiProvider } from './providers/gemini/provider.ts';
export type { OpenAIProviderOptions } from './providers/openai/options.ts';
export type { OpenAIProvider } from './providers/openai/provider.ts';
export type {
  Provider,
  ProviderEvent,
  ProviderEvents,
  ProviderHistory,
  ProviderRequest,
  ProviderSpecificationVersion,
} from './providers/provider.ts';
export {
  createAnthropic,
  createGemini,
  createOpenAI,
  createProviderRegistry,
  type ProviderFactory,
  type ProviderRegistry,
} from './providers/registry.ts';
export { globToRegex, type RouteOptions, routedProvider } from './providers/routing/route.ts';
export {
  buildRouting,
  loadRoutingConfig,
  parseRoutingConfig,
  type Routing,
  type RoutingConfig,
} from './providers/routing/routing-config.ts';
export { DEFAULT_SCRIPT } from './providers/scripted/default-script.ts';
export { createScriptedProvider, type ScriptedProviderOptions } from './providers/scripted/provider.ts';
export { loadScript, parseScript, type Script, type ScriptInput } from './providers/scripted/script.ts';
export { UpstreamError } from './providers/shared/upstream-error.ts';
export { SHUTDOWN_ERROR } from './runtime/active-runs.ts';
export type { HistoryCacheOptions } from './runtime/history-cache.ts';
export { newInteractionId } from './runtime/ids.ts';
export { createLogger, type LoggerOptions } from './runtime/logger.ts';
export { RESTART_ERROR } from './runtime/recovery.ts';
export { NOT_STORED_ERROR } from './runtime/run.ts';
export { createInteractionsServer, type InteractionsServer, type ListenResult } from './server.ts';
export { PostgresStore, type PostgresStoreOptions } from './store/postgres-store.ts';
export { type Durability, SqliteStore, type SqliteStoreOptions } from './store/sqlite-store.ts';
export type {
  FileRecord,
  HistoryChain,
  InteractionPage,
  InteractionPatch,
  InteractionQuery,
  InteractionRecord,
  InteractionSummary,
  NewEvent,
  Store,
  StoredEvent,
} from './store/store.ts';
export { LIST_SCAN_LIMIT } from './store/store.ts';
export { createServerToolRegistry, type ServerToolRegistry } from './tools/registry.ts';
export type { ServerTool, ServerToolContext } from './tools/server-tool.ts';
