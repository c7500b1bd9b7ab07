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
 * // or, each item pushed from the body's `data` handler into a PushStream (or any UpstreamSseReader):
 * await readUpstreamSse(call, items);
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SseDecoder, type SseItem } from '@interplay/protocol';
import { type Dispatcher, request } from 'undici';
import { PushStream } from './push-stream.ts';
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
 * What the upstream streams, as a stream to pull (`for await`): SSE items (`event`, `done`, `malformed`). An
 * upstream that answers a streaming request with one JSON body instead (some do when tools are set) gives that
 * body as a single `event`.
 */
export function upstreamSse(call: UpstreamSseCall): PushStream<SseItem> {
  const items = new PushStream<SseItem>(call.signal);
  readUpstreamSse(call, items).then(
    () => items.end(),
    (error: unknown) => items.fail(error),
  );
  return items;
}

/** What reads the upstream's items: each is handed over as it is decoded. */
export interface UpstreamSseReader {
  /** False once the reader stopped (the connection is then closed). */
  readonly open: boolean;
  /** May throw: the read stops, the connection is closed and the error is what `readUpstreamSse` rejects with. */
  push(item: SseItem): void;
  /** Called when the reader stops early (it is told once). */
  onStop(listener: () => void): void;
}

/**
 * The same call read into `reader`: each item is pushed from the response body's `data` handler, with no
 * async iterator between the socket and the reader. Resolves once the body ended and every item was pushed.
 */
export async function readUpstreamSse(call: UpstreamSseCall, reader: UpstreamSseReader): Promise<void> {
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
    const read = contentType.includes('application/json')
      ? await readJsonBody(response.body)
      : await readSseBody(response.body, reader);
    if (read.kind === 'ended') return;
    if (read.kind === 'reader') throw read.error;
    const { error } = read;
    if (signal.aborted) throw signal.reason;
    if (isCode(error, 'UND_ERR_BODY_TIMEOUT')) throw stallError(provider, stallMs, 'body');
    if (!read.pushed && attempt < retry.maxAttempts && isRetryableConnection(error)) {
      await backoff(retry, attempt, undefined, signal);
      continue;
    }
    throw connectionError(provider, error);
  }

  async function readJsonBody(body: Dispatcher.ResponseData['body']): Promise<BodyRead> {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(await body.text()) as Record<string, unknown>;
    } catch (error) {
      return { kind: 'body', error, pushed: false };
    }
    try {
      reader.push({ kind: 'event', data });
    } catch (error) {
      return { kind: 'reader', error };
    }
    return { kind: 'ended' };
  }
}

/** How reading a body ended: to its end, with the reader's error, or with the body's (and whether any item got through). */
type BodyRead =
  | { kind: 'ended' }
  | { kind: 'reader'; error: unknown }
  | { kind: 'body'; error: unknown; pushed: boolean };

/**
 * Decodes the body's chunks as they arrive and pushes the items. When the reader stops or throws, the body is
 * destroyed, so the upstream stops generating.
 */
function readSseBody(body: Dispatcher.ResponseData['body'], reader: UpstreamSseReader): Promise<BodyRead> {
  return new Promise((resolve) => {
    const decoder = new SseDecoder();
    let pushed = false;
    let settled = false;
    const finish = (read: BodyRead): void => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      if (read.kind !== 'ended') body.destroy();
      resolve(read);
    };
    const pushAll = (items: SseItem[]): boolean => {
      try {
        for (const item of items) {
          if (!reader.open) break;
          pushed = true;
          reader.push(item);
        }
      } catch (error) {
        finish({ kind: 'reader', error });
        return false;
      }
      if (reader.open) return true;
      // Stopped by the reader: nothing more is read; what it was told is all.
      finish({ kind: 'ended' });
      body.destroy();
      return false;
    };
    const onData = (chunk: Uint8Array): void => {
      pushAll(decoder.push(chunk));
    };
    reader.onStop(() => {
      settled = true;
      body.destroy();
      resolve({ kind: 'ended' });
    });
    body.on('data', onData);
    body.once('end', () => {
      if (!settled && pushAll(decoder.end())) finish({ kind: 'ended' });
    });
    body.once('error', (error: unknown) => finish({ kind: 'body', error, pushed }));
    // Destroyed without an error (the signal's abort in some undici versions): an error of its own.
    body.once('close', () =>
      finish({ kind: 'body', error: new Error('the response body closed before its end'), pushed }),
    );
  });
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
