/**
 * Where the server may connect for a hosted `mcp_server` tool. A request names any URL, so by default the
 * server refuses loopback and private addresses (SSRF), like `url_context`. The check runs twice: on the URL
 * (IP literals, clear error messages) and at connect time, in the DNS lookup of the socket, so a name that
 * resolves (or re-resolves) to a private address is refused too.
 */
import { type LookupAddress, type LookupOptions, lookup } from 'node:dns';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Agent } from 'undici';
import { isPrivateAddress } from './private-address.ts';

export class UrlNotAllowedError extends Error {
  override readonly name = 'UrlNotAllowedError';
}

/** Throws `UrlNotAllowedError` for a URL the server must not connect to. */
export function checkMcpUrl(raw: string, allowPrivateNetworks: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlNotAllowedError(`'${raw}' is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UrlNotAllowedError(`MCP servers are reached over http(s), not '${url.protocol}'`);
  if (!allowPrivateNetworks && (url.hostname === 'localhost' || isPrivateAddress(url.hostname)))
    throw new UrlNotAllowedError(
      `${url.host} is a private or loopback address, which this server does not connect to`,
    );
  return url;
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/** A `dns.lookup` for sockets that refuses names resolving to private addresses (exported for tests). */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad)
      return callback(new UrlNotAllowedError(`${hostname} resolves to private address ${bad.address}`), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(new Error(`${hostname} did not resolve`), []);
    callback(null, first.address, first.family);
  });
}

let guarded: Promise<{ agent: Agent; fetch: typeof import('undici').fetch }> | undefined;

/**
 * The fetch used for MCP connections: global fetch when private networks are allowed, else guarded. undici is
 * loaded by the first request, not with the server.
 */
export function mcpFetch(allowPrivateNetworks: boolean): FetchLike | undefined {
  if (allowPrivateNetworks) return undefined;
  return (async (url: string | URL, init?: RequestInit) => {
    guarded ??= import('undici').then((undici) => ({
      agent: new undici.Agent({ connect: { lookup: guardedLookup as never } }),
      fetch: undici.fetch,
    }));
    const { agent, fetch } = await guarded;
    return fetch(url, { ...(init as object), dispatcher: agent } as never);
  }) as unknown as FetchLike;
}
