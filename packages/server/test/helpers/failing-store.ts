/** A real SqliteStore whose chosen methods fail the next N times they are called, as a full disk would. */
import type { SqliteStore } from '../../src/store/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';

export type Failures = Partial<Record<keyof Store, number>>;

/**
 * `store`, except that each method named in `failures` rejects (`disk I/O error`) for its next N calls.
 * `failures` is read on every call, so a test may change it between calls.
 */
export function failingStore(store: SqliteStore, failures: Failures): Store {
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const name = key as keyof Store;
        const left = failures[name] ?? 0;
        if (left > 0) {
          failures[name] = left - 1;
          return Promise.reject(new Error(`disk I/O error (injected into ${String(key)})`));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Store;
}
