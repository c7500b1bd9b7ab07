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
import type { Provider } from '../provider.ts';
import { functionBridge } from '../shared/builtin-functions.ts';
import type { UpstreamAnswer } from '../shared/upstream-client.ts';
import { modelFor, sseRequestHeaders, upstreamClient, upstreamProvider } from '../shared/upstream-client.ts';
import { upstreamIdentity } from '../shared/upstream-options.ts';
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
  const { name, apiKey } = upstreamIdentity(options, 'gemini', 'GEMINI_API_KEY');
  const base = (options.baseUrl ?? GEMINI_API_BASE_URL).replace(/\/+$/, '');
  const credentials: Record<string, string> = apiKey
    ? options.auth === 'bearer'
      ? { authorization: `Bearer ${apiKey}` }
      : { 'x-goog-api-key': apiKey }
    : {};
  const headers = sseRequestHeaders(options.headers, credentials);
  const native = (options.builtins ?? 'gemini') === 'gemini';
  const mediaKinds = ['image', 'audio', 'document', 'video'] as const;
  const client = upstreamClient(name, options, { accepts: mediaKinds, publicUris: mediaKinds }, apiKey);
  const media = client.media;

  const answer: UpstreamAnswer = async (request, signal, events) => {
    const model = modelFor(options.model, request);
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
        ...client.connection,
        url,
        headers,
        body: JSON.stringify(body),
        signal,
        bodyRetryDelayMs: retryInfoDelayMs,
        httpError: geminiHttpError,
      },
      upstreamDataInto(events, name, 'a response', (data) => {
        for (const event of reader.take(data)) events.push(event);
      }),
    );
    for (const event of reader.end()) events.push(event);
  };

  return upstreamProvider(name, client, answer);
}
