/**
 * Downloads a media `uri` for a provider that must inline it, through the server's SSRF-guarded connection
 * (the outbound address policy of net/: only public unicast addresses unless allowed, every redirect hop
 * checked again, DNS answers vetted where the socket connects). This file is the only place providers reach the
 * guarded fetcher, so a change to the outbound address policy changes this one import.
 *
 * @example
 * const fetcher = new MediaFetcher({ allowHosts: ['127.0.0.1'] });
 * const { data, mimeType } = await fetcher.fetch('https://example.com/cat.png', signal);
 */
import { InteractionsError } from '@interplay/protocol';
import type { Dispatcher } from 'undici';
import { type HostPolicy, hostPolicy } from '../../net/address-policy.ts';
import { guardedAgent, isUnsafeAddressError } from '../../net/guarded-agent.ts';

export interface MediaFetchOptions {
  /** Private/loopback hosts that may be fetched anyway (`--allow-host`). */
  allowHosts?: readonly string[];
  /** Largest file read. Default 20 MiB. */
  maxBytes?: number;
  /** Time for the whole download. Default 30 000 ms. */
  timeoutMs?: number;
  /** Redirects followed. Default 5. */
  maxRedirects?: number;
}

export interface FetchedMedia {
  /** Base64 of the bytes. */
  data: string;
  /** From the response's Content-Type (without parameters), if it sent one. */
  mimeType: string | undefined;
}

export class MediaFetcher {
  readonly #policy: HostPolicy;
  readonly #maxBytes: number;
  readonly #timeoutMs: number;
  readonly #maxRedirects: number;
  #agent: Promise<Dispatcher> | undefined;

  constructor(options: MediaFetchOptions = {}) {
    this.#policy = hostPolicy(options.allowHosts);
    this.#maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxRedirects = options.maxRedirects ?? 5;
  }

  /** The file at `uri`; throws a 400 `invalid_request` naming `field` when it cannot be fetched. */
  async fetch(uri: string, signal: AbortSignal, field = 'uri'): Promise<FetchedMedia> {
    const fail = (why: string) =>
      new InteractionsError('invalid_request', `'${field}': the server could not fetch ${uri}: ${why}`, {
        field,
      });
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw fail('not a valid URL');
    }
    const { request } = await import('undici');
    this.#agent ??= guardedAgent({ policy: this.#policy, connectTimeoutMs: this.#timeoutMs });
    const combined = AbortSignal.any([signal, AbortSignal.timeout(this.#timeoutMs)]);
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw fail(`${url.protocol} URLs are not fetched`);
      const refused = this.#policy.refuseBeforeLookup(url.hostname);
      if (refused) throw fail(`refused (${refused})`);
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, { dispatcher: await this.#agent, method: 'GET', signal: combined });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (isUnsafeAddressError(error)) throw fail(`refused (${(error as Error).message})`);
        throw fail(error instanceof Error ? error.message : String(error));
      }
      const location = first(response.headers.location);
      if (response.statusCode >= 300 && response.statusCode < 400 && location) {
        await response.body.dump();
        if (hop >= this.#maxRedirects) throw fail(`more than ${this.#maxRedirects} redirects`);
        url = new URL(location, url);
        continue;
      }
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw fail(`HTTP ${response.statusCode}`);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      try {
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > this.#maxBytes) {
            response.body.destroy();
            throw fail(`larger than ${this.#maxBytes} bytes`);
          }
          chunks.push(chunk);
        }
      } catch (error) {
        if (error instanceof InteractionsError) throw error;
        if (signal.aborted) throw signal.reason;
        throw fail(error instanceof Error ? error.message : String(error));
      }
      const type = first(response.headers['content-type'])?.split(';')[0]?.trim();
      return { data: Buffer.concat(chunks).toString('base64'), mimeType: type || undefined };
    }
  }

  async close(): Promise<void> {
    const agent = this.#agent;
    this.#agent = undefined;
    if (agent) await (await agent).close();
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
