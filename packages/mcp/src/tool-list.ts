/**
 * The cached tool list of one server. Invalidated by `tools/list_changed`, by a new session (reconnect), by
 * `cacheTtlMs`, or by hand. A list fetched while an invalidation happened is returned to its callers but not
 * kept, so a stale answer never outlives the notification that made it stale.
 */
import type { McpToolInfo } from './options.ts';

export class ToolListCache {
  readonly #fetch: () => Promise<McpToolInfo[]>;
  readonly #ttlMs: number;
  #generation = 0;
  #entry: { promise: Promise<McpToolInfo[]>; at: number } | undefined;

  constructor(fetch: () => Promise<McpToolInfo[]>, ttlMs = Number.POSITIVE_INFINITY) {
    this.#fetch = fetch;
    this.#ttlMs = ttlMs;
  }

  get(): Promise<McpToolInfo[]> {
    const entry = this.#entry;
    if (entry && Date.now() - entry.at < this.#ttlMs) return entry.promise;
    const generation = this.#generation;
    const promise = this.#fetch();
    const fresh = { promise, at: Date.now() };
    this.#entry = fresh;
    promise.catch(() => {
      if (this.#entry === fresh) this.#entry = undefined; // never cache a failure
    });
    promise.then(
      () => {
        if (this.#generation !== generation && this.#entry === fresh) this.#entry = undefined;
      },
      () => {},
    );
    return promise;
  }

  invalidate(): void {
    this.#generation += 1;
    this.#entry = undefined;
  }
}
