/**
 * The replica's ear on the database: one connection of its own that `LISTEN`s on the deployment's channel
 * and hands each notice (replica-store.ts) to the listeners. If the connection breaks it reconnects (backing
 * off up to 5 s) and tells the listeners `reconnected`, since notices sent meanwhile were missed.
 *
 * The writers' side is SQL: `pg_notify(channel, payload)` in the statement that makes the change, so a notice
 * is delivered when, and only if, the change commits. Payloads: `e:<id>`, `c:<id>`, `d:<id>`, `q`.
 */
import { createHash } from 'node:crypto';
import type { Client, ClientConfig } from 'pg';
import type { ReplicaNotice } from './replica-store.ts';

/** The channel of the deployment in `schema` (a channel name is at most 63 bytes: the schema is hashed). */
export function notificationChannel(schema: string): string {
  return `interplay_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
}

export function parseNotice(payload: string): ReplicaNotice | undefined {
  if (payload === 'q') return { kind: 'queued' };
  const id = payload.slice(2);
  if (payload.startsWith('e:')) return { kind: 'events', id };
  if (payload.startsWith('c:')) return { kind: 'cancel', id };
  if (payload.startsWith('d:')) return { kind: 'delete', id };
  return undefined;
}

type Listener = (notice: ReplicaNotice) => void;

export class PostgresNotifications {
  readonly #config: ClientConfig;
  readonly #channel: string;
  readonly #makeClient: (config: ClientConfig) => Client;
  readonly #listeners = new Set<Listener>();
  #client: Client | undefined;
  /** Resolves once LISTEN is active on the current connection. */
  #listening: Promise<void> | undefined;
  #retryMs = 100;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(config: ClientConfig, channel: string, makeClient: (config: ClientConfig) => Client) {
    this.#config = config;
    this.#channel = channel;
    this.#makeClient = makeClient;
  }

  /** Adds `listener`; resolves once notices are being received. Returns the function that removes it. */
  async listen(listener: Listener): Promise<() => void> {
    this.#listeners.add(listener);
    this.#listening ??= this.#connect();
    await this.#listening;
    return () => {
      this.#listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#listeners.clear();
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    const client = this.#makeClient(this.#config);
    client.on('notification', (message) => {
      if (message.channel !== this.#channel || message.payload === undefined) return;
      const notice = parseNotice(message.payload);
      if (notice) this.#emit(notice);
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    await client.connect();
    await client.query(`LISTEN ${this.#channel}`);
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#retryMs = 100;
  }

  #lost(client: Client): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => {});
    this.#reconnect();
  }

  #reconnect(): void {
    if (this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#connect().then(
        () => this.#emit({ kind: 'reconnected' }),
        () => {
          this.#retryMs = Math.min(this.#retryMs * 2, 5_000);
          this.#reconnect();
        },
      );
    }, this.#retryMs);
    this.#retry.unref();
  }

  #emit(notice: ReplicaNotice): void {
    for (const listener of this.#listeners) {
      try {
        listener(notice);
      } catch {
        // A listener's failure is its own; the others still hear the notice.
      }
    }
  }
}
