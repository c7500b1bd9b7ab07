/**
 * One HTTP exchange with retries: per-attempt timeout, caller abort, typed errors, and the retry decision of
 * retry-policy.ts. JSON calls read their whole body inside the attempt (collect.ts); streams get their open
 * response back with the attempt's timer so the reader can re-arm it on every chunk (idle-gap timeout).
 */
import { API_REVISION_HEADER, InteractionsError, REVISION_DATES, type Revision } from '@interplay/protocol';
import { context, propagation } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import { AttemptControl } from './attempt-control.ts';
import { bodyText, type CollectedResponse, collect, type ResponseHeaders } from './collect.ts';
import {
  AbortedError,
  ConnectionError,
  errorFromResponse,
  requestIdFrom,
  TimeoutError,
  toClientError,
} from './errors.ts';
import type { RequestOptions } from './options.ts';
import { USER_AGENT } from './options.ts';
import { type AttemptOutcome, decideRetry, type RequestKind } from './retry-policy.ts';

export type { ResponseHeaders };
export { AttemptControl };

type ResponseBody = Dispatcher.ResponseData['body'];

export interface TransportConfig {
  /** `{base}/{apiVersion}`, no trailing slash. */
  root: string;
  apiKey: string | undefined;
  revision: Revision;
  headers: Record<string, string>;
  timeoutMs: number;
  maxRetries: number;
  dispatcher: Dispatcher;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path and query after `{base}/{apiVersion}`, e.g. `/interactions/v1_abc?stream=true`. */
  path: string;
  /** JSON-serialized when present. */
  body?: unknown;
  kind: RequestKind;
  accept: 'json' | 'sse';
  options?: RequestOptions;
}

/** A successful (2xx) response whose body is still unread. The caller owns `control` and must dispose it. */
export interface OpenResponse {
  status: number;
  headers: ResponseHeaders;
  requestId: string | undefined;
  body: ResponseBody;
  control: AttemptControl;
}

/** Sleep `ms`, or reject with an {@link AbortedError} when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError(signal.reason));
    const onAbort = () => {
      clearTimeout(t);
      reject(new AbortedError(signal?.reason));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function outcomeOf(error: InteractionsError): AttemptOutcome {
  if (error instanceof AbortedError) return { kind: 'aborted' };
  if (error instanceof TimeoutError) return { kind: 'timeout' };
  if (error instanceof ConnectionError) return { kind: 'network', phase: error.phase };
  return { kind: 'network', phase: 'transfer' };
}

/** A response as one attempt got it: headers in (a stream's body still unread) or read to the end. */
interface Received {
  status: number;
  headers: ResponseHeaders;
}

/** How one attempt sends the request and, for an error status, reads the error body. */
interface Exchange<R extends Received> {
  send(target: RequestTarget, control: AttemptControl): Promise<R>;
  errorText(res: R): Promise<string>;
}

/** The request as undici's `dispatch` and `request` take it (the same for every attempt). */
interface RequestTarget extends Dispatcher.DispatchOptions {
  origin: string;
  /** Path and query, from the origin's root. */
  path: string;
  method: HttpRequest['method'];
  headers: Record<string, string>;
  body: string | undefined;
}

interface StreamedResponse extends Received {
  body: ResponseBody;
}

const REVISION_HEADER = API_REVISION_HEADER.toLowerCase();

/** `extra` into `into`, names lower-cased (later ones win). */
function addHeaders(into: Record<string, string>, extra: Record<string, string>): void {
  for (const name of Object.keys(extra)) into[name.toLowerCase()] = extra[name] as string;
}

const isSuccess = (status: number): boolean => status >= 200 && status < 300;

export class Transport {
  readonly config: TransportConfig;
  /** `config.root` parsed once, at the first request (a bad base URL fails that call, not the constructor). */
  #root: { origin: string; path: string } | undefined;

  constructor(config: TransportConfig) {
    this.config = config;
  }

  #parsedRoot(): { origin: string; path: string } {
    if (!this.#root) {
      const url = new URL(this.config.root);
      this.#root = { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
    }
    return this.#root;
  }

  /** The headers of one request: ours, the client's, then the call's (names lower-cased, later ones win). */
  #headers(req: HttpRequest): Record<string, string> {
    const h: Record<string, string> = {
      'user-agent': USER_AGENT,
      accept: req.accept === 'sse' ? 'text/event-stream' : 'application/json',
      [REVISION_HEADER]: REVISION_DATES[this.config.revision],
    };
    if (this.config.apiKey) h['x-goog-api-key'] = this.config.apiKey;
    if (req.body !== undefined) h['content-type'] = 'application/json';
    // The caller's trace goes on to the server (W3C `traceparent` with the default propagator); with no
    // OpenTelemetry SDK registered the global propagator writes nothing.
    propagation.inject(context.active(), h);
    addHeaders(h, this.config.headers);
    if (req.options?.headers) addHeaders(h, req.options.headers);
    return h;
  }

  /**
   * Send with retries until a 2xx response, which is returned with the attempt's `control` (the caller owns
   * it and must dispose it). A failure while the response is read inside `send` (a unary body) is retried
   * like any other. Throws a typed `InteractionsError`.
   */
  async #execute<R extends Received>(
    req: HttpRequest,
    exchange: Exchange<R>,
  ): Promise<{ res: R; control: AttemptControl }> {
    const opts = req.options ?? {};
    const timeoutMs = opts.timeoutMs ?? this.config.timeoutMs;
    const maxRetries = opts.maxRetries ?? this.config.maxRetries;
    const root = this.#parsedRoot();
    const target: RequestTarget = {
      origin: root.origin,
      path: root.path + req.path,
      method: req.method,
      headers: this.#headers(req),
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      // Our own timers bound the exchange; disable undici's 300 s defaults.
      headersTimeout: 0,
      bodyTimeout: 0,
    };
    // What a timeout message names.
    const label = `${req.method} ${root.path}${req.path.split('?')[0]}`;

    for (let attempt = 0; ; attempt++) {
      const control = new AttemptControl(opts.signal, timeoutMs, label);
      let error: InteractionsError;
      let outcome: AttemptOutcome;
      let handedOff = false;
      try {
        if (control.aborted) throw control.reason;
        control.arm();
        const res = await exchange.send(target, control);
        if (isSuccess(res.status)) {
          handedOff = true;
          return { res, control };
        }
        let text = '';
        try {
          text = await exchange.errorText(res);
        } catch {
          // the error status is what matters
        }
        error = errorFromResponse(res.status, text, requestIdFrom(res.headers));
        outcome = { kind: 'status', status: res.status, headers: res.headers };
      } catch (err) {
        error = toClientError(control.aborted ? control.reason : err);
        outcome = outcomeOf(error);
      } finally {
        if (!handedOff) control.dispose();
      }
      const decision = decideRetry({ kind: req.kind, attempt, maxRetries, outcome });
      if (!decision.retry) throw error;
      await sleep(decision.delayMs, opts.signal);
    }
  }

  /** Unary calls: the whole body, read inside the attempt. */
  readonly #collected: Exchange<CollectedResponse> = {
    // A copy per attempt: some dispatchers rewrite the options they are given.
    send: (target, control) => collect(this.config.dispatcher, { ...target }, control),
    errorText: async (res) => bodyText(res.body),
  };

  /** Streams: the open body, read by the caller. */
  readonly #streamed: Exchange<StreamedResponse> = {
    send: async (target, control) => {
      const res = await this.config.dispatcher.request({ ...target, signal: control.signal });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    },
    errorText: (res) => res.body.text(),
  };

  /** A unary JSON exchange, its body read whole within the attempt. Empty bodies parse as `{}`. */
  async json<T>(req: HttpRequest): Promise<{ data: T; requestId: string | undefined }> {
    const { res, control } = await this.#execute(req, this.#collected);
    control.dispose();
    const requestId = requestIdFrom(res.headers);
    const text = bodyText(res.body);
    let data: unknown = {};
    if (text.trim() !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        throw new InteractionsError('api_error', `Response is not JSON: ${text.slice(0, 200)}`, {
          status: res.status,
          requestId,
        });
      }
    }
    return { data: data as T, requestId };
  }

  /** Open an SSE response; the caller reads `body` and disposes `control`. */
  async openStream(req: HttpRequest): Promise<OpenResponse> {
    const { res, control } = await this.#execute(req, this.#streamed);
    const requestId = requestIdFrom(res.headers);
    const type = String(res.headers['content-type'] ?? '');
    if (!type.includes('text/event-stream')) {
      const text = await res.body.text().catch(() => '');
      control.dispose();
      throw new InteractionsError(
        'api_error',
        `Expected text/event-stream, got '${type || 'no content type'}': ${text.slice(0, 200)}`,
        { status: res.status, requestId },
      );
    }
    // Headers are in; from here the stream reader arms the timer for each gap between chunks.
    control.disarm();
    return { ...res, requestId, control };
  }
}
