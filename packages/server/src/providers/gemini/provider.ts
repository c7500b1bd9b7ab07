/**
 * The `gemini` provider: a Gemini model through `streamGenerateContent` (SSE, `?alt=sse`) over undici, as the
 * model behind the Interactions server — the Gemini API with an API key, or Vertex AI by base URL. Behind our
 * server a Gemini model gains what the Interactions API lacks (remote MCP on Gemini 3, MCP + functions +
 * built-ins in one request, stored state without a time limit, self-hosted background runs). See
 * docs/server/own-model.md for what maps.
 *
 * @example
 * const provider = createGeminiProvider({ apiKeyEnv: 'GEMINI_API_KEY' });
 * const engine = createEngine({ providers: [provider], tools });
 * // on shutdown
 * await provider.close();
 */
import { InteractionsError } from '@interplay/protocol';
import { Agent } from 'undici';
import type { Provider, ProviderEvent, ProviderRequest } from '../provider.ts';
import { functionBridge } from '../shared/builtin-functions.ts';
import { MediaFetcher } from '../shared/media-fetch.ts';
import { mediaInput } from '../shared/media-input.ts';
import { type PushStream, producedBy } from '../shared/push-stream.ts';
import { retryPolicy } from '../shared/retry-policy.ts';
import { readUpstreamSse, upstreamDataInto } from '../shared/upstream-sse.ts';
import { toContents } from './contents.ts';
import type { GeminiProviderOptions } from './options.ts';
import { GEMINI_BUILTINS, requestBody } from './request-body.ts';
import { StreamReader } from './stream-reader.ts';
import { geminiHttpError, retryInfoDelayMs } from './upstream-errors.ts';

export type { GeminiProviderOptions } from './options.ts';

export interface GeminiProvider extends Provider {
  /** Closes the upstream connections and the media fetcher's. */
  close(): Promise<void>;
}

export const GEMINI_API_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

const NATIVE_TOOLS: ReadonlySet<string> = new Set(Object.keys(GEMINI_BUILTINS));
const NATIVE_CALLS: ReadonlySet<string> = new Set([
  'code_execution_call',
  'google_search_call',
  'url_context_call',
]);
const NONE: ReadonlySet<string> = new Set();

export function createGeminiProvider(options: GeminiProviderOptions = {}): GeminiProvider {
  const name = options.name ?? 'gemini';
  const env = options.env ?? process.env;
  const apiKey = options.apiKey ?? env[options.apiKeyEnv ?? 'GEMINI_API_KEY'];
  const base = (options.baseUrl ?? GEMINI_API_BASE_URL).replace(/\/+$/, '');
  const credentials: Record<string, string> = apiKey
    ? options.auth === 'bearer'
      ? { authorization: `Bearer ${apiKey}` }
      : { 'x-goog-api-key': apiKey }
    : {};
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'text/event-stream',
    ...options.headers,
    ...credentials,
  };
  const native = (options.builtins ?? 'gemini') === 'gemini';
  const dispatcher = new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    keepAliveTimeout: 30_000,
  });
  const fetcher = new MediaFetcher({ allowHosts: options.allowHosts ?? [] });
  const media = mediaInput({
    provider: name,
    accepts: ['image', 'audio', 'document', 'video'],
    passPublicUris: options.passPublicUris ? ['image', 'audio', 'document', 'video'] : [],
    fetcher,
  });
  const retry = retryPolicy(options.retry);
  const secrets = apiKey ? [apiKey] : [];

  /**
   * The events are pushed from the upstream body's `data` handler into a PushStream the engine takes them from
   * in that handler: no async iterator between the socket and the step writer.
   */
  function generate(request: ProviderRequest, signal: AbortSignal): PushStream<ProviderEvent> {
    return producedBy<ProviderEvent>(signal, (events) => answer(request, signal, events));
  }

  async function answer(
    request: ProviderRequest,
    signal: AbortSignal,
    events: PushStream<ProviderEvent>,
  ): Promise<void> {
    const model = options.model ?? request.model ?? request.agent;
    if (!model) throw new InteractionsError('invalid_request', 'a model is required', { field: 'model' });
    const upstreamTools = native ? NATIVE_TOOLS : NONE;
    const bridge = await functionBridge(request, name, signal, { upstreamTools });
    const builtins = (request.tools ?? []).map((t) => t.type).filter((type) => upstreamTools.has(type));
    const contents = await toContents(request.items, {
      media,
      upstreamCalls: native ? NATIVE_CALLS : NONE,
      signal,
    });
    const body = requestBody({
      contents,
      systemInstruction: request.system_instruction,
      functions: bridge.functions,
      builtins: [...new Set(builtins)],
      generationConfig: request.generation_config,
      outputFormat: request.output_format,
      thinking: options.thinking ?? 'level',
    });
    const reader = new StreamReader({
      bridge,
      provider: name,
      holdForGrounding: builtins.includes('google_search') || builtins.includes('url_context'),
    });
    const url = `${base}/models/${encodeURIComponent(model)}:streamGenerateContent?alt=sse`;
    await readUpstreamSse(
      {
        provider: name,
        url,
        headers,
        body: JSON.stringify(body),
        dispatcher,
        signal,
        retry,
        headersTimeoutMs: options.headersTimeoutMs,
        stallMs: options.stallMs,
        secrets,
        bodyRetryDelayMs: retryInfoDelayMs,
        httpError: geminiHttpError,
      },
      upstreamDataInto(events, name, 'a response', (data) => {
        for (const event of reader.take(data)) events.push(event);
      }),
    );
    for (const event of reader.end()) events.push(event);
  }

  return {
    name,
    specificationVersion: 'v2',
    generate,
    async close() {
      await Promise.all([dispatcher.close(), fetcher.close()]);
    },
  };
}
