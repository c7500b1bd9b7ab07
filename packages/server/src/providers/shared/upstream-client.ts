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
import type { Provider, ProviderEvent, ProviderRequest } from '../provider.ts';
import { MediaFetcher } from './media-fetch.ts';
import { type MediaInput, type MediaType, mediaInput } from './media-input.ts';
import { type PushStream, producedBy } from './push-stream.ts';
import { type RetryPolicy, retryPolicy } from './retry-policy.ts';
import type { UpstreamOptions } from './upstream-options.ts';
import type { UpstreamSseCall } from './upstream-sse.ts';

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
  options: UpstreamOptions,
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

/**
 * The headers of every upstream request: JSON in, server-sent events out, then the configured ones, then the
 * credentials (last, so a configured header cannot replace them).
 */
export function sseRequestHeaders(
  configured: Record<string, string> | undefined,
  credentials: Record<string, string>,
): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'text/event-stream', ...configured, ...credentials };
}

/** One request's work: push its events into `events`; the stream ends when the returned promise settles. */
export type UpstreamAnswer = (
  request: ProviderRequest,
  signal: AbortSignal,
  events: PushStream<ProviderEvent>,
) => Promise<void>;

/** The model a request runs on: the provider's own when configured, else the request's model or agent. */
export function modelFor(configured: string | undefined, request: ProviderRequest): string {
  const model = configured ?? request.model ?? request.agent;
  if (!model) throw new InteractionsError('invalid_request', 'a model is required', { field: 'model' });
  return model;
}

/** A provider's `generate`, given how to push one request's events (the stream ends when `answer` does). */
export function pushedGenerate(
  answer: UpstreamAnswer,
): (request: ProviderRequest, signal: AbortSignal) => PushStream<ProviderEvent> {
  return (request, signal) => producedBy<ProviderEvent>(signal, (events) => answer(request, signal, events));
}

/** The provider an HTTP provider module returns: its `generate` pushes `answer`'s events; `close` ends `client`. */
export function upstreamProvider(
  name: string,
  client: UpstreamClient,
  answer: UpstreamAnswer,
): Provider & { close(): Promise<void> } {
  return { name, specificationVersion: 'v2', generate: pushedGenerate(answer), close: () => client.close() };
}
