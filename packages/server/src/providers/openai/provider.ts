/**
 * The `openai` provider: any Chat Completions endpoint (OpenAI, Ollama, vLLM, llama.cpp's server, LM Studio,
 * OpenRouter) as the model behind the Interactions server, streamed over undici. See
 * docs/server/own-model.md for what maps and what does not.
 *
 * @example
 * const provider = createOpenAIProvider({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1' });
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
import { ChunkReader } from './chunk-reader.ts';
import { toMessages } from './messages.ts';
import type { OpenAIProviderOptions } from './options.ts';
import { requestBody } from './request-body.ts';

export type { OpenAIProviderOptions } from './options.ts';

export interface OpenAIProvider extends Provider {
  /** Closes the upstream connections and the media fetcher's. */
  close(): Promise<void>;
}

export function createOpenAIProvider(options: OpenAIProviderOptions): OpenAIProvider {
  const { name, apiKey } = upstreamIdentity(options, 'openai', 'OPENAI_API_KEY');
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const headers = sseRequestHeaders(options.headers, apiKey ? { authorization: `Bearer ${apiKey}` } : {});
  const client = upstreamClient(
    name,
    options,
    { accepts: options.input ?? ['image'], publicUris: ['image', 'video'] },
    apiKey,
  );
  const media = client.media;

  const answer: UpstreamAnswer = async (request, signal, events) => {
    const model = modelFor(options.model, request);
    const bridge = await functionBridge(request, name, signal);
    const messages = await toMessages(request.system_instruction, request.items, media, signal);
    const body = requestBody({
      model,
      messages,
      functions: bridge.functions,
      generationConfig: request.generation_config,
      outputFormat: request.output_format,
      reasoningEffort: options.reasoningEffort ?? true,
      maxTokensField: options.maxTokensField ?? 'max_tokens',
    });
    const reader = new ChunkReader(bridge, name, (event) => events.push(event));
    await readUpstreamSse(
      { ...client.connection, url, headers, body: JSON.stringify(body), signal },
      upstreamDataInto(events, name, 'a chunk', (data) => reader.take(data)),
    );
    reader.end();
  };

  return upstreamProvider(name, client, answer);
}
