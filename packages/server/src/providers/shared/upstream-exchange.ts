/**
 * One attempt of a streaming POST upstream, read with undici's dispatch handler: each body chunk arrives in
 * `onResponseData` straight from the HTTP parser, is decoded as SSE there, and its items are pushed to the
 * reader. `undici.request` would put a Readable (and, read with `for await`, an async iterator) between the
 * parser and the reader: a `data` event, a tick and promises per chunk, thousands of chunks per second on a
 * busy gateway. What the attempt ended with is given back as data for the retry loop (upstream-sse.ts) to
 * decide on; it never rejects.
 */
import { SseDecoder, type SseItem } from '@interplay/protocol';
import type { Dispatcher } from 'undici';

/** What reads the upstream's items: each is handed over as it is decoded. */
export interface UpstreamSseReader {
  /** False once the reader stopped (the connection is then closed). */
  readonly open: boolean;
  /** May throw: the read stops, the connection is closed and the error is what the read rejects with. */
  push(item: SseItem): void;
  /** Called when the reader stops early (it is told once). */
  onStop(listener: () => void): void;
}

export interface ExchangeRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  dispatcher: Dispatcher;
  signal: AbortSignal;
  headersTimeoutMs: number;
  stallMs: number;
}

/** How one attempt ended. */
export type Attempt =
  /** The body ended and every item was pushed, or the reader stopped. */
  | { kind: 'ended' }
  /** The reader threw this while taking an item. */
  | { kind: 'reader'; error: unknown }
  /** A non-2xx answer, its body read whole. */
  | { kind: 'status'; status: number; headers: Record<string, string | string[] | undefined>; body: string }
  /** The connection or the body failed (or the signal aborted); `answered`: the status line had come. */
  | { kind: 'failed'; error: unknown; answered: boolean; pushed: boolean };

/**
 * Sends the request and pushes the SSE items of a 2xx answer to `reader` as they arrive; a 2xx
 * `application/json` answer (some upstreams send one when tools are set) is pushed as a single `event`.
 */
export function exchange(request: ExchangeRequest, reader: UpstreamSseReader): Promise<Attempt> {
  return new Promise<Attempt>((resolve) => {
    const { signal } = request;
    const decoder = new SseDecoder();
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let answered = false;
    let pushed = false;
    /** How the body is taken: decoded as it comes, or kept whole (a failure's text, a JSON answer). */
    let body: 'sse' | 'json' | 'failure' = 'sse';
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    const kept: Buffer[] = [];

    const settle = (attempt: Attempt, abort?: Error): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      // Closing the connection is what makes the upstream stop generating.
      if (abort !== undefined) controller?.abort(abort);
      resolve(attempt);
    };
    const onAbort = (): void => {
      const reason: unknown = signal.reason;
      settle(
        { kind: 'failed', error: reason, answered, pushed },
        reason instanceof Error ? reason : new Error('aborted'),
      );
    };
    const push = (items: SseItem[]): void => {
      try {
        for (const item of items) {
          if (!reader.open) break;
          pushed = true;
          reader.push(item);
        }
      } catch (error) {
        settle({ kind: 'reader', error }, new Error('the reader failed'));
        return;
      }
      if (!reader.open) settle({ kind: 'ended' }, new Error('the reader stopped'));
    };

    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    reader.onStop(() => settle({ kind: 'ended' }, new Error('the reader stopped')));

    const url = new URL(request.url);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (settled) c.abort(new Error('the read was stopped before the request went out'));
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        if (statusCode < 200) return; // 1xx: the answer follows
        answered = true;
        status = statusCode;
        headers = responseHeaders as Record<string, string | string[] | undefined>;
        const contentType = String(headers['content-type'] ?? '');
        body = statusCode >= 300 ? 'failure' : contentType.includes('application/json') ? 'json' : 'sse';
      },
      onResponseData(_c, chunk) {
        if (settled) return;
        if (body === 'sse') push(decoder.push(chunk));
        else kept.push(chunk);
      },
      onResponseEnd() {
        if (settled) return;
        if (body === 'failure') {
          settle({ kind: 'status', status, headers, body: Buffer.concat(kept).toString('utf8') });
          return;
        }
        if (body === 'json') {
          let data: Record<string, unknown>;
          try {
            data = JSON.parse(Buffer.concat(kept).toString('utf8')) as Record<string, unknown>;
          } catch (error) {
            settle({ kind: 'failed', error, answered, pushed });
            return;
          }
          push([{ kind: 'event', data }]);
        } else {
          push(decoder.end());
        }
        settle({ kind: 'ended' });
      },
      onResponseError(_c, error) {
        settle({ kind: 'failed', error, answered, pushed });
      },
    };
    try {
      request.dispatcher.dispatch(
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: 'POST',
          headers: request.headers,
          body: request.body,
          headersTimeout: request.headersTimeoutMs,
          bodyTimeout: request.stallMs,
        },
        handler,
      );
    } catch (error) {
      settle({ kind: 'failed', error, answered, pushed });
    }
  });
}
