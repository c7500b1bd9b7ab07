/**
 * Outbound connections made on a client's behalf, behind one SSRF policy: only public unicast addresses
 * (ipaddr.js ranges), checked on the URL and on every resolved address at connect time, for every redirect
 * hop. url_context, hosted mcp_server, and any later outbound caller (a provider fetching a `uri`, webhooks)
 * use it. See docs/server/builtin-tools.md ("SSRF policy").
 */
export { addressRefusal, type HostPolicy, hostPolicy, normalizeHost } from './address-policy.ts';
export {
  type GuardedAgentOptions,
  guardedAgent,
  isUnsafeAddressError,
  type ResolvedAddress,
  type Resolver,
  systemResolver,
  UnsafeAddressError,
} from './guarded-agent.ts';
export {
  type OutboundFetch,
  type OutboundFetchOptions,
  outboundFetch,
  outboundUrlRefusal,
} from './outbound-fetch.ts';
