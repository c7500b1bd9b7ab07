/**
 * `outboundFetch`: a WHATWG `fetch` for requests the server makes on a client's behalf (hosted MCP, a
 * provider reading a `uri`, webhooks). The URL is checked first (http(s) only, the address policy on IP
 * literals and loopback/dotless names), then every connection — the first, each redirect hop, each reconnect
 * — goes through the guarded agent, which vets every DNS answer at connect time. Redirects are followed
 * (undici's `redirect: 'follow'`), each hop's connection checked the same way.
 *
 * @example
 * ```ts
 * import { outboundFetch } from './net/outbound-fetch.ts';
 *
 * const fetch = outboundFetch();                 // public addresses only
 * const res = await fetch('https://example.com/data.json');
 * await fetch('http://169.254.169.254/');        // rejects: UnsafeAddressError (no connection made)
 * await fetch.close();                           // on shutdown
 * ```
 */
import type { Agent } from 'undici';
import { type HostPolicy, hostPolicy } from './address-policy.ts';
import { guardedAgent, type Resolver, UnsafeAddressError } from './guarded-agent.ts';

export interface OutboundFetchOptions {
  /** Private/loopback hosts reachable anyway: names, `*.suffix` wildcards, or IPs (see `hostPolicy`). */
  allowHosts?: readonly string[];
  /** DNS resolution (default `node:dns` lookup, every answer). Tests inject names here. */
  resolve?: Resolver;
  /** Time to open one connection. Default 10 000 ms. */
  connectTimeoutMs?: number;
}

/** A `fetch` that only reaches addresses the policy allows, and `close()` for its connections. */
export interface OutboundFetch {
  (input: string | URL, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Why `url` may not be requested at all (scheme, or the host before any lookup), or undefined. */
export function outboundUrlRefusal(url: URL, policy: HostPolicy): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `only http and https URLs can be requested, not ${url.protocol}`;
  return policy.refuseBeforeLookup(url.hostname);
}

export function outboundFetch(options: OutboundFetchOptions = {}): OutboundFetch {
  const policy = hostPolicy(options.allowHosts);
  let agent: Promise<Agent> | undefined;
  const request = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const refusal = outboundUrlRefusal(url, policy);
    if (refusal) throw new UnsafeAddressError(refusal);
    const { fetch } = await import('undici');
    agent ??= guardedAgent({
      policy,
      ...(options.resolve && { resolve: options.resolve }),
      ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
    });
    const dispatcher = await agent;
    return (await fetch(url, { ...(init as object), dispatcher } as never)) as unknown as Response;
  };
  return Object.assign(request, {
    async close() {
      const open = agent;
      agent = undefined;
      if (open) await (await open).close();
    },
  });
}
