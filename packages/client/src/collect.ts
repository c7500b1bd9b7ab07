/**
 * An HTTP exchange whose whole response body is wanted at once (the JSON calls): undici's `dispatch()` with a
 * handler that gathers the body chunks into one Buffer. `request()` would wrap each response in a body
 * stream and an async resource only for us to read it to the end; this skips that machinery, which is a
 * measurable share of a call's client CPU. Streams (SSE) still go through `request()`.
 */
import type { Dispatcher } from 'undici';
import type { AttemptControl } from './attempt-control.ts';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface CollectedResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
}

/** The body as text, UTF-8, a leading byte-order mark skipped (as undici's `body.text()` does). */
export function bodyText(body: Buffer): string {
  const bom = body.length > 2 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  return body.toString('utf8', bom ? 3 : 0);
}

class CollectHandler implements Dispatcher.DispatchHandler {
  readonly #attempt: AttemptControl;
  readonly #resolve: (res: CollectedResponse) => void;
  readonly #reject: (error: unknown) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #settled = false;
  #status = 0;
  #headers: ResponseHeaders = {};
  #chunks: Buffer[] = [];
  #length = 0;

  constructor(
    attempt: AttemptControl,
    resolve: (res: CollectedResponse) => void,
    reject: (error: unknown) => void,
  ) {
    this.#attempt = attempt;
    this.#resolve = resolve;
    this.#reject = reject;
    attempt.onAbort(this.#onAbort);
  }

  /** The attempt was aborted: reject at once, even while the request still waits for a connection. */
  readonly #onAbort = (reason: unknown): void => {
    this.#controller?.abort(reason as Error);
    if (this.#settle()) this.#reject(reason);
  };

  /** True the first time only: the promise settles once. */
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#attempt.onAbort(undefined);
    return true;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Aborted while queued: the request must not go out.
    if (this.#settled) controller.abort(this.#attempt.reason as Error);
    else this.#controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: ResponseHeaders,
  ): void {
    if (status < 200) return; // 1xx informational responses: the real one follows
    this.#status = status;
    this.#headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  onResponseEnd(): void {
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#length);
    if (this.#settle()) this.#resolve({ status: this.#status, headers: this.#headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (this.#settle()) this.#reject(error);
  }
}

/**
 * Send one request and resolve with its status, headers and whole body; reject with undici's error, or with
 * the abort reason as soon as `attempt` aborts (the request is then aborted too).
 */
export function collect(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  attempt: AttemptControl,
): Promise<CollectedResponse> {
  return new Promise((resolve, reject) => {
    if (attempt.aborted) return reject(attempt.reason);
    dispatcher.dispatch(options, new CollectHandler(attempt, resolve, reject));
  });
}
