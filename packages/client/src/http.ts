/**
 * One HTTP exchange with retries: per-attempt timeout, caller abort, typed errors, and the retry decision of
 * retry-policy.ts. Streams get their open response back with the attempt's timer so the reader can re-arm
 * it on every chunk (idle-gap timeout).
 */
import { API_REVISION_HEADER, InteractionsError, REVISION_DATES, type Revision } from '@interplay/protocol';
import { type Dispatcher, request } from 'undici';
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

export type ResponseHeaders = Record<string, string | string[] | undefined>;
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
  url: string;
  /** JSON-serialized when present. */
  body?: unknown;
  kind: RequestKind;
  accept: 'json' | 'sse';
  options?: RequestOptions;
}

/** Timer + abort wiring of one attempt. Abort reasons are typed client errors. */
export class AttemptControl {
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  readonly #user: AbortSignal | undefined;
  readonly #onUserAbort = () => this.#controller.abort(new AbortedError(this.#user?.reason));
  #timer: ReturnType<typeof setTimeout> | undefined;
  #what: string;

  constructor(userSignal: AbortSignal | undefined, timeoutMs: number, what: string) {
    this.#timeoutMs = timeoutMs;
    this.#user = userSignal;
    this.#what = what;
    if (userSignal?.aborted) this.#onUserAbort();
    else userSignal?.addEventListener('abort', this.#onUserAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** (Re)start the timeout; `what` names what is being waited for, for the error message. */
  arm(what?: string): void {
    if (what) this.#what = what;
    this.disarm();
    if (this.#timeoutMs > 0 && Number.isFinite(this.#timeoutMs)) {
      this.#timer = setTimeout(() => {
        this.#controller.abort(
          new TimeoutError(`${this.#what} timed out after ${this.#timeoutMs} ms`, this.#timeoutMs),
        );
      }, this.#timeoutMs);
    }
  }

  disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Abort the attempt (e.g. the stream's consumer stopped early). */
  abort(reason: unknown): void {
    this.#controller.abort(reason);
  }

  dispose(): void {
    this.disarm();
    this.#user?.removeEventListener('abort', this.#onUserAbort);
  }
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

export class Transport {
  readonly config: TransportConfig;

  constructor(config: TransportConfig) {
    this.config = config;
  }

  #headers(req: HttpRequest): Record<string, string> {
    const h: Record<string, string> = {
      'user-agent': USER_AGENT,
      accept: req.accept === 'sse' ? 'text/event-stream' : 'application/json',
      [API_REVISION_HEADER.toLowerCase()]: REVISION_DATES[this.config.revision],
    };
    if (this.config.apiKey) h['x-goog-api-key'] = this.config.apiKey;
    if (req.body !== undefined) h['content-type'] = 'application/json';
    for (const extra of [this.config.headers, req.options?.headers]) {
      for (const [k, v] of Object.entries(extra ?? {})) h[k.toLowerCase()] = v;
    }
    return h;
  }

  /**
   * Send with retries until a 2xx response, then hand it to `consume` (still inside the attempt, so a
   * failure while reading a unary body is retried like any other). Throws a typed `InteractionsError`.
   */
  async execute<T>(req: HttpRequest, consume: (res: OpenResponse) => Promise<T>): Promise<T> {
    const opts = req.options ?? {};
    const timeoutMs = opts.timeoutMs ?? this.config.timeoutMs;
    const maxRetries = opts.maxRetries ?? this.config.maxRetries;
    const headers = this.#headers(req);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const label = `${req.method} ${new URL(req.url).pathname}`;

    for (let attempt = 0; ; attempt++) {
      const control = new AttemptControl(opts.signal, timeoutMs, label);
      let error: InteractionsError;
      let outcome: AttemptOutcome;
      let handedOff = false;
      try {
        if (control.signal.aborted) throw control.signal.reason;
        control.arm(label);
        const res = await request(req.url, {
          method: req.method,
          headers,
          body,
          dispatcher: this.config.dispatcher,
          signal: control.signal,
          // Our own timers bound the exchange; disable undici's 300 s defaults.
          headersTimeout: 0,
          bodyTimeout: 0,
        });
        const requestId = requestIdFrom(res.headers);
        if (res.statusCode >= 200 && res.statusCode < 300) {
          handedOff = true;
          return await consume({
            status: res.statusCode,
            headers: res.headers,
            requestId,
            body: res.body,
            control,
          });
        }
        let text = '';
        try {
          text = await res.body.text();
        } catch {
          // the error status is what matters
        }
        error = errorFromResponse(res.statusCode, text, requestId);
        outcome = { kind: 'status', status: res.statusCode, headers: res.headers };
      } catch (err) {
        const reason = control.signal.aborted ? control.signal.reason : err;
        // `consume` may throw a protocol error (bad JSON, wrong content type): not a transport failure.
        const protocolError = err instanceof InteractionsError && !(err instanceof ConnectionError);
        if (handedOff && protocolError && !control.signal.aborted) throw err;
        error = toClientError(reason);
        outcome = outcomeOf(error);
      } finally {
        if (!handedOff) control.dispose();
      }
      const decision = decideRetry({ kind: req.kind, attempt, maxRetries, outcome });
      if (!decision.retry) throw error;
      await sleep(decision.delayMs, opts.signal);
    }
  }

  /** A unary JSON exchange. Empty bodies parse as `{}`. */
  async json<T>(req: HttpRequest): Promise<{ data: T; requestId: string | undefined }> {
    return this.execute(req, async (res) => {
      try {
        const text = await res.body.text();
        let data: unknown = {};
        if (text.trim() !== '') {
          try {
            data = JSON.parse(text);
          } catch {
            throw new InteractionsError('api_error', `Response is not JSON: ${text.slice(0, 200)}`, {
              status: res.status,
              requestId: res.requestId,
            });
          }
        }
        return { data: data as T, requestId: res.requestId };
      } finally {
        res.control.dispose();
      }
    });
  }

  /** Open an SSE response; the caller reads `body` and disposes `control`. */
  async openStream(req: HttpRequest): Promise<OpenResponse> {
    return this.execute(req, async (res) => {
      const type = String(res.headers['content-type'] ?? '');
      if (!type.includes('text/event-stream')) {
        const text = await res.body.text().catch(() => '');
        res.control.dispose();
        throw new InteractionsError(
          'api_error',
          `Expected text/event-stream, got '${type || 'no content type'}': ${text.slice(0, 200)}`,
          { status: res.status, requestId: res.requestId },
        );
      }
      // Headers are in; from here the stream reader arms the timer for each gap between chunks.
      res.control.disarm();
      return res;
    });
  }
}
