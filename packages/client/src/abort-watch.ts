/**
 * One `abort` listener per signal, shared by every attempt that waits on it. A run passes the same signal to
 * each of its model calls; adding and removing an EventTarget listener per call costs more than the rest of
 * the abort wiring together, while a set insertion costs next to nothing. The listener stays on the signal
 * (it is called at most once, when the signal aborts) and its set goes with the signal when it is collected.
 *
 * @example
 * watchAbort(signal, onAbort);   // onAbort(signal.reason) if it aborts while watched
 * unwatchAbort(signal, onAbort);
 */

type AbortCallback = (reason: unknown) => void;

const watchers = new WeakMap<AbortSignal, Set<AbortCallback>>();

/** Call `callback` with the signal's reason when it aborts. The signal must not have aborted yet. */
export function watchAbort(signal: AbortSignal, callback: AbortCallback): void {
  let callbacks = watchers.get(signal);
  if (!callbacks) {
    const set = new Set<AbortCallback>();
    callbacks = set;
    watchers.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal);
        for (const cb of [...set]) cb(signal.reason);
      },
      { once: true },
    );
  }
  callbacks.add(callback);
}

export function unwatchAbort(signal: AbortSignal, callback: AbortCallback): void {
  watchers.get(signal)?.delete(callback);
}
