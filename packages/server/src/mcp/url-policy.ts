/**
 * Where the server may connect for a hosted `mcp_server` tool. A request names any URL, so by default the
 * server applies the outbound address policy (net/), like `url_context`: the URL is checked when the session
 * opens (clear error messages), and every connection the session makes — each redirect hop and reconnect
 * included — is vetted at connect time on every resolved address.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { hostPolicy } from '../net/address-policy.ts';
import type { Resolver } from '../net/guarded-agent.ts';
import { type OutboundFetch, outboundFetch, outboundUrlRefusal } from '../net/outbound-fetch.ts';

export class UrlNotAllowedError extends Error {
  override readonly name = 'UrlNotAllowedError';
}

const PUBLIC_ONLY = hostPolicy();

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
  const refusal = allowPrivateNetworks ? undefined : outboundUrlRefusal(url, PUBLIC_ONLY);
  if (refusal)
    throw new UrlNotAllowedError(
      `${url.host} is refused (${refusal}): this server does not connect to private or loopback addresses`,
    );
  return url;
}

/**
 * The fetch for MCP connections: undefined (the SDK's default fetch) when private networks are allowed, else
 * the policy-guarded outbound fetch. Close it with the sessions that use it.
 */
export function mcpFetch(
  allowPrivateNetworks: boolean,
  resolve?: Resolver,
): (FetchLike & Pick<OutboundFetch, 'close'>) | undefined {
  if (allowPrivateNetworks) return undefined;
  return outboundFetch(resolve ? { resolve } : {}) as unknown as FetchLike & Pick<OutboundFetch, 'close'>;
}
