/**
 * What every HTTP provider (openai, gemini, anthropic) holds for its life and does the same way: its
 * keep-alive connections to the upstream, the media fetcher and which media it may pass on as public URIs, its
 * retry policy, the secrets redacted from upstream errors; the model a request runs on; and a `generate` whose
 * events are pushed from the upstream body's `data` handler into a PushStream the engine takes them from in
 * that handler (no async iterator between the socket and the step writer).
 *
 * @example
 * const client = upstreamClient('anthropic', options, { accepts: ['image'], publicUris: ['image'] }, apiKey);
 * const generate = pushedGenerate(async (request, signal, events) => {
 *   const model = modelFor(options.model, request);
 *   await readUpstreamSse({ ...client.connection, url, headers, body, signal }, into(events));
 * });
 * // on shutdown
 * await client.close();
 */
import { InteractionsError } from '@interplay/protocol';
import { Agent } from 'undici';
import type { ProviderEvent, ProviderRequest } from '../provider.ts';
import { MediaFetcher } from './media-fetch.ts';
import { type MediaInput, type MediaType, mediaInput } from './media-input.ts';
import { type PushStream, producedBy } from './push-stream.ts';
import { type RetryOptions, type RetryPolicy, retryPolicy } from './retry-policy.ts';
import type { UpstreamSseCall } from './upstream-sse.ts';

/** The options every HTTP provider takes for its connections (see each provider's options.ts). */
export interface UpstreamClientOptions {
  /** Default 10 s. */
  connectTimeoutMs?: number;
  retry?: RetryOptions;
  /** Pass the media kinds of `publicUris` on as URIs instead of fetching them. */
  passPublicUris?: boolean;
  /** Private hosts media may be fetched from. */
  allowHosts?: string[];
  headersTimeoutMs?: number;
  stallMs?: number;
}

/** What every upstream call of one provider shares (spread into `readUpstreamSse`'s call). */
export type UpstreamConnection = Pick<
  UpstreamSseCall,
  'provider' | 'dispatcher' | 'retry' | 'headersTimeoutMs' | 'stallMs' | 'secrets'
>;

export interface UpstreamClient {
  /** Its `secrets` are redacted from every upstream error: the API key, when there is one. */
  readonly connection: UpstreamConnection;
  readonly retry: RetryPolicy;
  readonly media: MediaInput;
  /** Closes the upstream connections and the media fetcher's. */
  close(): Promise<void>;
}

export function upstreamClient(
  provider: string,
  options: UpstreamClientOptions,
  media: { accepts: readonly MediaType[]; publicUris: readonly MediaType[] },
  apiKey: string | undefined,
): UpstreamClient {
  const dispatcher = new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    keepAliveTimeout: 30_000,
  });
  const fetcher = new MediaFetcher({ allowHosts: options.allowHosts ?? [] });
  const retry = retryPolicy(options.retry);
  return {
    connection: {
      provider,
      dispatcher,
      retry,
      headersTimeoutMs: options.headersTimeoutMs,
      stallMs: options.stallMs,
      secrets: apiKey ? [apiKey] : [],
    },
    retry,
    media: mediaInput({
      provider,
      accepts: media.accepts,
      passPublicUris: options.passPublicUris ? media.publicUris : [],
      fetcher,
    }),
    async close() {
      await Promise.all([dispatcher.close(), fetcher.close()]);
    },
  };
}

/** The model a request runs on: the provider's own when configured, else the request's model or agent. */
export function modelFor(configured: string | undefined, request: ProviderRequest): string {
  const model = configured ?? request.model ?? request.agent;
  if (!model) throw new InteractionsError('invalid_request', 'a model is required', { field: 'model' });
  return model;
}

/** A provider's `generate`, given how to push one request's events (the stream ends when `answer` does). */
export function pushedGenerate(
  answer: (request: ProviderRequest, signal: AbortSignal, events: PushStream<ProviderEvent>) => Promise<void>,
): (request: ProviderRequest, signal: AbortSignal) => PushStream<ProviderEvent> {
  return (request, signal) => producedBy<ProviderEvent>(signal, (events) => answer(request, signal, events));
}
