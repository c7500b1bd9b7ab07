/**
 * The timer and abort wiring of one HTTP attempt: the per-attempt timeout and the caller's signal both abort
 * it, with typed client errors as reasons. The `AbortSignal` is only made for code that wants one (undici's
 * `request()` for streams); the collected-body path listens through `onAbort`, which costs less.
 */
import { unwatchAbort, watchAbort } from './abort-watch.ts';
import { DEADLINES, type Deadline } from './deadlines.ts';
import { AbortedError, TimeoutError } from './errors.ts';

export class AttemptControl {
  readonly #timeoutMs: number;
  readonly #user: AbortSignal | undefined;
  readonly #onUserAbort = () => this.abort(new AbortedError(this.#user?.reason));
  /** The attempt's time limit on the shared timer (deadlines.ts): no timer of its own to arm and clear. */
  #deadline: Deadline | undefined;
  /** What is being waited for, for the timeout message; a function when it costs something to build. */
  #what: string | (() => string);
  #aborted = false;
  #reason: unknown;
  #controller: AbortController | undefined;
  #listener: ((reason: unknown) => void) | undefined;

  constructor(userSignal: AbortSignal | undefined, timeoutMs: number, what: string | (() => string)) {
    this.#timeoutMs = timeoutMs;
    this.#user = userSignal;
    this.#what = what;
    if (userSignal?.aborted) this.#onUserAbort();
    else if (userSignal) watchAbort(userSignal, this.#onUserAbort);
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  /** Why the attempt was aborted (a `TimeoutError`, an `AbortedError`, …); `undefined` while it runs. */
  get reason(): unknown {
    return this.#reason;
  }

  /** A signal that aborts with the attempt (made on first use). */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Call `listener` when the attempt aborts (one listener at a time; `undefined` removes it). */
  onAbort(listener: ((reason: unknown) => void) | undefined): void {
    this.#listener = listener;
  }

  /** (Re)start the timeout; `what` names what is being waited for, for the error message. */
  arm(what?: string): void {
    if (what) this.#what = what;
    if (!(this.#timeoutMs > 0 && Number.isFinite(this.#timeoutMs))) return;
    if (this.#deadline) DEADLINES.move(this.#deadline, this.#timeoutMs);
    else this.#deadline = DEADLINES.add(this.#timeoutMs, this.#onTimeout);
  }

  disarm(): void {
    if (this.#deadline) DEADLINES.delete(this.#deadline);
    this.#deadline = undefined;
  }

  readonly #onTimeout = (): void => {
    this.#deadline = undefined;
    const what = typeof this.#what === 'function' ? this.#what() : this.#what;
    this.abort(new TimeoutError(`${what} timed out after ${this.#timeoutMs} ms`, this.#timeoutMs));
  };

  /** Abort the attempt; the first reason sticks. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    this.#listener?.(reason);
  }

  dispose(): void {
    this.disarm();
    if (this.#user) unwatchAbort(this.#user, this.#onUserAbort);
  }
}
