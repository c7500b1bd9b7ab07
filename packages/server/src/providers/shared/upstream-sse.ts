/**
 * One streaming POST to a model provider's upstream on undici, read as SSE: retried per the retry policy
 * (429/5xx answers, and connections that broke before the first event), with a limit on the wait for the
 * response headers and on the silence between body chunks (a stalled upstream), and the caller's signal
 * watched so an abort (cancel, delete, a client hanging up) closes the upstream connection at once.
 *
 * Each item is pushed from undici's handler as it arrives into an {@link UpstreamSseReader}:
 *
 * @example
 * await readUpstreamSse(
 *   { provider: 'openai', url, headers, body, dispatcher, signal },
 *   { open: true, onStop: (stop) => {}, push: (item) => { if (item.kind === 'event') handle(item.data); } },
 * );
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SseItem } from '@interplay/protocol';
import type { Dispatcher } from 'undici';
import type { PushStream } from './push-stream.ts';
import { type RetryPolicy, retryPolicy } from './retry-policy.ts';
import {
  connectionError,
  stallError,
  UpstreamError,
  type UpstreamHttpFailure,
  upstreamHttpError,
} from './upstream-error.ts';
import { exchange, type UpstreamSseReader } from './upstream-exchange.ts';

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
  /** Longest wait for the response headers (a model loading counts). Default 120 000 ms. */
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

export type { UpstreamSseReader } from './upstream-exchange.ts';

/**
 * One upstream call read into `reader`: SSE items (`event`, `done`, `malformed`; an upstream that answers a
 * streaming request with one JSON body instead gives that body as a single `event`), each pushed from undici's
 * `onResponseData` (upstream-exchange.ts), with no stream object between the socket and the reader. Resolves
 * once the body ended and every item was pushed (or the reader stopped); rejects with the mapped failure, the
 * abort's reason or the reader's error.
 */
export async function readUpstreamSse(call: UpstreamSseCall, reader: UpstreamSseReader): Promise<void> {
  const retry = call.retry ?? retryPolicy();
  const headersTimeoutMs = call.headersTimeoutMs ?? 120_000;
  const stallMs = call.stallMs ?? 60_000;
  const { signal, provider } = call;
  const request = {
    url: call.url,
    headers: call.headers,
    body: call.body,
    dispatcher: call.dispatcher,
    signal,
    headersTimeoutMs,
    stallMs,
  };
  for (let attempt = 1; ; attempt++) {
    const ended = await exchange(request, reader);
    switch (ended.kind) {
      case 'ended':
        return;
      case 'reader':
        throw ended.error;
      case 'status': {
        if (attempt < retry.maxAttempts && retry.retriesStatus(ended.status)) {
          const asked = call.bodyRetryDelayMs?.(ended.body);
          const waited = await backoff(retry, attempt, ended.headers, signal, asked);
          if (waited) continue;
        }
        const failure = { provider, status: ended.status, body: ended.body, secrets: call.secrets ?? [] };
        throw call.httpError?.(failure) ?? upstreamHttpError(failure);
      }
      case 'failed': {
        const { error } = ended;
        if (signal.aborted) throw signal.reason;
        if (isCode(error, 'UND_ERR_HEADERS_TIMEOUT')) throw stallError(provider, headersTimeoutMs, 'headers');
        if (isCode(error, 'UND_ERR_BODY_TIMEOUT')) throw stallError(provider, stallMs, 'body');
        // A connection that broke before any event is tried again; one that broke mid-answer is not.
        if (!ended.pushed && attempt < retry.maxAttempts && isRetryableConnection(error)) {
          await backoff(retry, attempt, undefined, signal);
          continue;
        }
        throw connectionError(provider, error);
      }
    }
  }
}

/**
 * The reader a provider's answer reads its upstream with: each event's data goes to `take` while `events` (the
 * PushStream the answer is pushed into) is open. `[DONE]` is skipped — the body is read on to its end, so the
 * connection is reused rather than cut —, and a line that is not what the provider sends (`expected`: "a
 * chunk", "an event") fails the answer with an UpstreamError naming the provider.
 *
 * @example
 * await readUpstreamSse(call, upstreamDataInto(events, 'openai', 'a chunk', (data) => reader.take(data)));
 */
export function upstreamDataInto(
  events: Pick<PushStream<unknown>, 'open' | 'onStop'>,
  provider: string,
  expected: string,
  take: (data: Record<string, unknown>) => void,
): UpstreamSseReader {
  return new UpstreamDataReader(events, provider, expected, take);
}

/**
 * `upstreamDataInto`'s reader. A class, not an object literal with `get open()`: a literal's getter is a new
 * function per call, and V8's scavenger keeps every such getter (and all it closes over: here the whole
 * answer) alive through two minor GCs, so each upstream call was copied and promoted to the old generation
 * (docs/decisions-performance.md). A getter on the prototype is one function for all.
 */
class UpstreamDataReader implements UpstreamSseReader {
  readonly #events: Pick<PushStream<unknown>, 'open' | 'onStop'>;
  readonly #provider: string;
  readonly #expected: string;
  readonly #take: (data: Record<string, unknown>) => void;

  constructor(
    events: Pick<PushStream<unknown>, 'open' | 'onStop'>,
    provider: string,
    expected: string,
    take: (data: Record<string, unknown>) => void,
  ) {
    this.#events = events;
    this.#provider = provider;
    this.#expected = expected;
    this.#take = take;
  }

  get open(): boolean {
    return this.#events.open;
  }

  onStop(listener: () => void): void {
    this.#events.onStop(listener);
  }

  push(item: SseItem): void {
    if (item.kind === 'done') return;
    if (item.kind === 'malformed') {
      throw new UpstreamError(
        'upstream_error',
        `The model provider '${this.#provider}' sent a stream line that is not ${this.#expected} (${item.reason}).`,
        { provider: this.#provider },
      );
    }
    this.#take(item.data);
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
