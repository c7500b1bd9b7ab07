/**
 * The timer and abort wiring of one HTTP attempt: the per-attempt timeout and the caller's signal both abort
 * it, with typed client errors as reasons (`TimeoutError`, `AbortedError`).
 */
import { AbortedError, TimeoutError } from './errors.ts';

export class AttemptControl {
  readonly #timeoutMs: number;
  readonly #user: AbortSignal | undefined;
  readonly #controller = new AbortController();
  readonly #onUserAbort = () => this.abort(new AbortedError(this.#user?.reason));
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** What is being waited for, for the timeout message. */
  #what: string;
  #listener: ((reason: unknown) => void) | undefined;

  constructor(userSignal: AbortSignal | undefined, timeoutMs: number, what: string) {
    this.#timeoutMs = timeoutMs;
    this.#user = userSignal;
    this.#what = what;
    if (userSignal?.aborted) this.#onUserAbort();
    else userSignal?.addEventListener('abort', this.#onUserAbort); // removed by dispose()
  }

  get aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Why the attempt was aborted (a `TimeoutError`, an `AbortedError`, …); `undefined` while it runs. */
  get reason(): unknown {
    return this.#controller.signal.reason;
  }

  /** Aborts with the attempt. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Call `listener` when the attempt aborts (one listener at a time; `undefined` removes it). */
  onAbort(listener: ((reason: unknown) => void) | undefined): void {
    this.#listener = listener;
  }

  /** (Re)start the timeout; `what` names what is being waited for, for the error message. */
  arm(what?: string): void {
    if (what) this.#what = what;
    this.disarm();
    if (!(this.#timeoutMs > 0 && Number.isFinite(this.#timeoutMs))) return;
    this.#timer = setTimeout(() => {
      this.abort(new TimeoutError(`${this.#what} timed out after ${this.#timeoutMs} ms`, this.#timeoutMs));
    }, this.#timeoutMs);
    // An open request keeps the process alive by its socket; its timer need not.
    this.#timer.unref();
  }

  disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Abort the attempt; the first reason sticks. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.#controller.abort(reason);
    this.#listener?.(reason);
  }

  dispose(): void {
    this.disarm();
    this.#user?.removeEventListener('abort', this.#onUserAbort);
  }
}
