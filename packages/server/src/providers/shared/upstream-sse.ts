/**
 * One streaming POST to a model provider's upstream on undici, read as SSE: retried per the retry policy
 * (429/5xx answers, and connections that broke before the first event), with a limit on the wait for the
 * response headers and on the silence between body chunks (a stalled upstream), and the caller's signal
 * passed to undici so an abort (cancel, delete, a client hanging up) closes the upstream connection at once.
 *
 * @example
 * for await (const item of upstreamSse({ provider: 'openai', url, headers, body, dispatcher, signal })) {
 *   if (item.kind === 'event') handle(item.data);
 * }
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SseDecoder, type SseItem } from '@interplay/protocol';
import { type Dispatcher, request } from 'undici';
import { type RetryPolicy, retryPolicy } from './retry-policy.ts';
import {
  connectionError,
  stallError,
  type UpstreamError,
  type UpstreamHttpFailure,
  upstreamHttpError,
} from './upstream-error.ts';

export interface UpstreamSseCall {
  /** For messages: `openai`, … */
  provider: string;
  url: string;
  headers: Record<string, string>;
  /** The JSON request body. */
  body: string;
  dispatcher: Dispatcher;
  signal: AbortSignal;
  retry?: RetryPolicy;
  /** Longest wait for the response headers. Default 60 000 ms. */
  headersTimeoutMs?: number;
  /** Longest silence between two body chunks before the upstream counts as stalled. Default 60 000 ms. */
  stallMs?: number;
  /** Values no error message may contain (the API key). */
  secrets?: readonly string[];
  /** A wait (ms) a failed response's body asks for, for upstreams that say it there (Gemini's `RetryInfo`). */
  bodyRetryDelayMs?: (body: string) => number | undefined;
  /**
   * The error for a failed response, when the provider knows better than the status alone (Gemini answers a
   * bad API key with 400 `API_KEY_INVALID`); undefined leaves it to the common mapping.
   */
  httpError?: (failure: UpstreamHttpFailure) => UpstreamError | undefined;
}

/**
 * What the upstream streams: SSE items (`event`, `done`, `malformed`). An upstream that answers a streaming
 * request with one JSON body instead (some do when tools are set) yields that body as a single `event`.
 */
export async function* upstreamSse(call: UpstreamSseCall): AsyncGenerator<SseItem> {
  const retry = call.retry ?? retryPolicy();
  const headersTimeoutMs = call.headersTimeoutMs ?? 60_000;
  const stallMs = call.stallMs ?? 60_000;
  const { signal, provider } = call;
  for (let attempt = 1; ; attempt++) {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(call.url, {
        method: 'POST',
        headers: call.headers,
        body: call.body,
        dispatcher: call.dispatcher,
        signal,
        headersTimeout: headersTimeoutMs,
        bodyTimeout: stallMs,
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (isCode(error, 'UND_ERR_HEADERS_TIMEOUT')) throw stallError(provider, headersTimeoutMs, 'headers');
      if (attempt < retry.maxAttempts && isRetryableConnection(error)) {
        await backoff(retry, attempt, undefined, signal);
        continue;
      }
      throw connectionError(provider, error);
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const text = await response.body.text().catch(() => '');
      if (attempt < retry.maxAttempts && retry.retriesStatus(response.statusCode)) {
        const asked = call.bodyRetryDelayMs?.(text);
        const waited = await backoff(retry, attempt, response.headers, signal, asked);
        if (waited) continue;
      }
      const failure = { provider, status: response.statusCode, body: text, secrets: call.secrets ?? [] };
      throw call.httpError?.(failure) ?? upstreamHttpError(failure);
    }
    const contentType = String(response.headers['content-type'] ?? '');
    let yielded = false;
    let finished = false;
    try {
      if (contentType.includes('application/json')) {
        const data = JSON.parse(await response.body.text()) as Record<string, unknown>;
        finished = true;
        yield { kind: 'event', data };
        return;
      }
      const decoder = new SseDecoder();
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        for (const item of decoder.push(chunk)) {
          yielded = true;
          yield item;
        }
      }
      finished = true;
      for (const item of decoder.end()) yield item;
      return;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (isCode(error, 'UND_ERR_BODY_TIMEOUT')) throw stallError(provider, stallMs, 'body');
      if (!yielded && attempt < retry.maxAttempts && isRetryableConnection(error)) {
        await backoff(retry, attempt, undefined, signal);
        continue;
      }
      throw connectionError(provider, error);
    } finally {
      // The consumer stopped early (or failed): close the connection, so the upstream stops generating.
      if (!finished) response.body.destroy();
    }
  }
}

/** Waits before the next attempt; false when the upstream asked for a wait too long to honour. */
async function backoff(
  retry: RetryPolicy,
  attempt: number,
  headers: Record<string, string | string[] | undefined> | undefined,
  signal: AbortSignal,
  bodyAskedMs?: number,
): Promise<boolean> {
  const ms = retry.delayMs(attempt, headers, bodyAskedMs);
  if (ms === undefined) return false;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw signal.reason;
  }
  return true;
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function isRetryableConnection(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true;
    if (/other side closed|socket hang up/i.test(e.message)) return true;
  }
  return false;
}

function isCode(error: unknown, code: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === code) return true;
  }
  return false;
}
