/**
 * Fetches one URL for `url_context`: http(s) only, the SSRF policy on every hop (redirects are followed by
 * hand, each new URL checked again), a total time limit, a size limit (the body is streamed and the
 * connection cut when it grows past it), and the body turned into readable text.
 *
 * undici and the HTML-to-text converter are loaded with the first fetch: most servers never fetch a page,
 * and an idle server should not carry them (~15 MB resident).
 */
import type { UrlRetrievalStatus } from '@interplay/protocol';
import type { Dispatcher } from 'undici';
import { type HostPolicy, hostPolicy } from '../../net/address-policy.ts';
import { guardedAgent, isUnsafeAddressError, type Resolver } from '../../net/guarded-agent.ts';
import { outboundUrlRefusal } from '../../net/outbound-fetch.ts';
import type { LocalPages } from './local-pages.ts';

type PageText = typeof import('./page-text.ts');
type Request = typeof import('undici').request;

let loading: Promise<{ request: Request; text: PageText }> | undefined;
const load = () => {
  loading ??= Promise.all([import('undici'), import('./page-text.ts')]).then(([undici, text]) => ({
    request: undici.request,
    text,
  }));
  return loading;
};

export interface UrlFetchOptions {
  /** Hosts fetched even though they are private/loopback (`--allow-host`): names, `*.suffix`, or IPs. */
  allowHosts?: readonly string[];
  /** Largest body read, in bytes. Default 2 MiB. */
  maxBytes?: number;
  /** Time for the whole fetch (all redirects and the body). Default 15 000 ms. */
  timeoutMs?: number;
  /** Redirects followed. Default 5. */
  maxRedirects?: number;
  /** Characters of text kept per page (what the model reads). Default 40 000. */
  maxTextChars?: number;
  userAgent?: string;
  /** DNS resolution (default `node:dns` lookup, all answers). Tests inject names here. */
  resolve?: Resolver;
  /** Pages answered from memory, not fetched: the offline search corpus (see local-pages.ts). */
  localPages?: LocalPages;
}

export interface PageResult {
  /** The URL as asked for. */
  url: string;
  status: UrlRetrievalStatus;
  /** Where the content came from after redirects, when different. */
  final_url?: string;
  title?: string;
  content_type?: string;
  /** The readable text (success only), cut to `maxTextChars`. */
  text?: string;
  /** Why it was not fetched (every status but success). */
  error?: string;
}

const DEFAULT_AGENT = 'Interplay-url-context/0.1 (+https://github.com/interplay)';

export class UrlFetcher {
  private readonly policy: HostPolicy;
  private readonly agentOptions: Parameters<typeof guardedAgent>[0];
  /** Created with the first fetch. */
  private agent: Promise<Dispatcher> | undefined;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly maxTextChars: number;
  private readonly userAgent: string;
  private readonly localPages: LocalPages | undefined;

  constructor(options: UrlFetchOptions = {}) {
    this.localPages = options.localPages;
    this.policy = hostPolicy(options.allowHosts);
    this.maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.maxTextChars = options.maxTextChars ?? 40_000;
    this.userAgent = options.userAgent ?? DEFAULT_AGENT;
    this.agentOptions = {
      policy: this.policy,
      connectTimeoutMs: this.timeoutMs,
      ...(options.resolve && { resolve: options.resolve }),
    };
  }

  async fetch(url: string, signal?: AbortSignal): Promise<PageResult> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      return { url, status: 'error', error: 'not a valid URL' };
    }
    for (let hop = 0; ; hop++) {
      const local = this.localPages?.page(current);
      if (local) return { url, ...(hop > 0 && { final_url: current.href }), ...this.localPage(local) };
      const refusal = this.refuse(current);
      if (refusal) return { url, ...refusal, ...(hop > 0 && { final_url: current.href }) };
      try {
        const { request, text } = await load();
        this.agent ??= guardedAgent(this.agentOptions);
        const response = await request(current, {
          dispatcher: await this.agent,
          method: 'GET',
          headers: {
            'user-agent': this.userAgent,
            accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5',
            'accept-encoding': 'identity',
          },
          signal: combined,
        });
        const location = header(response.headers, 'location');
        if (response.statusCode >= 300 && response.statusCode < 400 && location) {
          await response.body.dump();
          if (hop >= this.maxRedirects)
            return { url, status: 'error', error: `more than ${this.maxRedirects} redirects` };
          current = new URL(location, current);
          continue;
        }
        const page = await this.read(response, text);
        return { url, ...(current.href !== url && { final_url: current.href }), ...page };
      } catch (error) {
        return { url, ...this.failure(error, timeout, signal) };
      }
    }
  }

  async close(): Promise<void> {
    const agent = this.agent;
    this.agent = undefined;
    if (agent) await (await agent).close();
  }

  /** A local page as a fetched one reads: its text cut to `maxTextChars`. */
  private localPage({ title, text }: { title: string; text: string }): Omit<PageResult, 'url'> {
    const cut = text.length > this.maxTextChars ? `${text.slice(0, this.maxTextChars)}\n[text cut]` : text;
    return { status: 'success', content_type: 'text/plain', title, text: cut };
  }

  /** Refusals known before connecting: scheme, credentials, and the host policy on literal addresses/names. */
  private refuse(url: URL): Pick<PageResult, 'status' | 'error'> | undefined {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { status: 'error', error: `only http and https URLs can be fetched, not ${url.protocol}` };
    }
    if (url.username || url.password)
      return { status: 'error', error: 'URLs with credentials are not fetched' };
    const reason = outboundUrlRefusal(url, this.policy);
    return reason ? { status: 'unsafe', error: `refused: ${reason}` } : undefined;
  }

  private async read(
    response: Dispatcher.ResponseData,
    { decode, htmlTitle, htmlToText, looksLikePaywall, pageKind }: PageText,
  ): Promise<Omit<PageResult, 'url'>> {
    const contentType = header(response.headers, 'content-type');
    const declared = Number(header(response.headers, 'content-length'));
    if (declared > this.maxBytes) {
      response.body.destroy();
      return { status: 'error', error: `the response is larger than ${this.maxBytes} bytes` };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > this.maxBytes) {
        response.body.destroy(); // cut the connection: no reason to download the rest
        return { status: 'error', error: `the response is larger than ${this.maxBytes} bytes` };
      }
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    const kind = pageKind(contentType, body);
    const typeField = contentType ? { content_type: contentType.split(';')[0]!.trim() } : {};
    const raw = kind === 'binary' ? '' : decode(body, contentType);
    const text = kind === 'html' ? htmlToText(raw) : raw;
    const { statusCode } = response;
    if (statusCode < 200 || statusCode >= 300) {
      const status = looksLikePaywall(statusCode, text) ? 'paywall' : 'error';
      return { status, ...typeField, error: `HTTP ${statusCode}` };
    }
    if (kind === 'binary') {
      return {
        status: 'error',
        ...typeField,
        error: `binary content (${contentType ?? 'unknown type'}) is not read`,
      };
    }
    const title = kind === 'html' ? htmlTitle(raw) : undefined;
    return {
      status: 'success',
      ...typeField,
      ...(title && { title }),
      text: text.length > this.maxTextChars ? `${text.slice(0, this.maxTextChars)}\n[text cut]` : text,
    };
  }

  private failure(
    error: unknown,
    timeout: AbortSignal,
    signal: AbortSignal | undefined,
  ): Pick<PageResult, 'status' | 'error'> {
    if (isUnsafeAddressError(error))
      return { status: 'unsafe', error: `refused: ${(error as Error).message}` };
    if (timeout.aborted) return { status: 'error', error: `timed out after ${this.timeoutMs} ms` };
    if (signal?.aborted) return { status: 'error', error: 'cancelled' };
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    return { status: 'error', error: typeof code === 'string' ? `${message} (${code})` : message };
  }
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
