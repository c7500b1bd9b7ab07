/**
 * The `anthropic` provider: Claude through the Messages API (streamed, over undici) as the model behind the
 * Interactions server — Claude gains the Interactions API, with this server's stored state, background runs,
 * built-in tools and MCP. See docs/server/own-model.md for what maps.
 *
 * An `overloaded_error` is tried again per the retry policy whether it comes as HTTP 529 or as the stream's
 * first event (Claude may accept the request and then report it overloaded); once any of the answer has been
 * given out, a failure ends the turn instead of starting it over.
 *
 * @example
 * const provider = createAnthropicProvider({ apiKeyEnv: 'ANTHROPIC_API_KEY', model: 'claude-sonnet-4-5' });
 * const engine = createEngine({ providers: [provider], tools });
 * // on shutdown
 * await provider.close();
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Provider } from '../provider.ts';
import { functionBridge } from '../shared/builtin-functions.ts';
import type { UpstreamAnswer } from '../shared/upstream-client.ts';
import { modelFor, sseRequestHeaders, upstreamClient, upstreamProvider } from '../shared/upstream-client.ts';
import { upstreamIdentity } from '../shared/upstream-options.ts';
import { readUpstreamSse, upstreamDataInto } from '../shared/upstream-sse.ts';
import { EventReader, StreamedUpstreamError } from './event-reader.ts';
import { inUnthoughtToolLoop, toMessages } from './messages.ts';
import type { AnthropicProviderOptions } from './options.ts';
import { requestBody } from './request-body.ts';

export type { AnthropicProviderOptions } from './options.ts';

export interface AnthropicProvider extends Provider {
  /** Closes the upstream connections and the media fetcher's. */
  close(): Promise<void>;
}

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';

export function createAnthropicProvider(options: AnthropicProviderOptions = {}): AnthropicProvider {
  const { name, apiKey } = upstreamIdentity(options, 'anthropic', 'ANTHROPIC_API_KEY');
  const url = `${(options.baseUrl ?? ANTHROPIC_BASE_URL).replace(/\/+$/, '')}/messages`;
  const headers = sseRequestHeaders(
    { 'anthropic-version': options.version ?? '2023-06-01', ...options.headers },
    apiKey ? { 'x-api-key': apiKey } : {},
  );
  const mediaKinds = ['image', 'document'] as const;
  const client = upstreamClient(name, options, { accepts: mediaKinds, publicUris: mediaKinds }, apiKey);
  const media = client.media;
  const retry = client.retry;

  const answer: UpstreamAnswer = async (request, signal, events) => {
    const model = modelFor(options.model, request);
    const bridge = await functionBridge(request, name, signal);
    const messages = await toMessages(request.items, media, signal);
    const body = JSON.stringify(
      requestBody({
        model,
        messages,
        systemInstruction: request.system_instruction,
        functions: bridge.functions,
        generationConfig: request.generation_config,
        outputFormat: request.output_format,
        maxTokens: options.maxTokens ?? 8_192,
        thinking: options.thinking ?? 'budget',
        thinkingAllowed: !inUnthoughtToolLoop(messages),
      }),
    );
    for (let attempt = 1; ; attempt++) {
      const reader = new EventReader(bridge, name);
      try {
        await readUpstreamSse(
          { ...client.connection, url, headers, body, signal },
          upstreamDataInto(events, name, 'an event', (data) => {
            for (const event of reader.take(data)) events.push(event);
          }),
        );
        for (const event of reader.end()) events.push(event);
        return;
      } catch (error) {
        const again =
          error instanceof StreamedUpstreamError &&
          error.retryable &&
          !reader.started &&
          attempt < retry.maxAttempts;
        if (!again) throw error;
        const ms = retry.delayMs(attempt) ?? 0;
        await sleep(ms, undefined, { signal }).catch(() => {
          throw signal.reason;
        });
      }
    }
  };

  return upstreamProvider(name, client, answer);
}
