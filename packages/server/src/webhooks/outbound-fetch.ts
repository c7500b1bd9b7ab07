/**
 * How deliveries leave the server: a `fetch`-shaped function, so the delivery queue does not care what is behind
 * it. The default is the server's outbound address policy (`net/`: public unicast addresses only, every
 * resolved address checked at connect time), with an allow-list for local receivers. Redirects are not
 * followed: a receiver must answer at its own URI (a 3xx counts as a failed attempt).
 */
import { hostPolicy, outboundFetch, outboundUrlRefusal, type Resolver } from '../net/index.ts';

/** What the delivery queue sends with; `close()` releases its connections on shutdown. */
export interface DeliveryFetch {
  (url: string, init: RequestInit): Promise<Response>;
  close?(): Promise<void>;
}

export interface PolicyFetchOptions {
  /** Private/loopback hosts that may still receive deliveries (names, `*.suffix`, or IPs). */
  allowHosts?: readonly string[];
  connectTimeoutMs?: number;
  /** DNS resolution (default: the system's, every answer). Tests inject names here. */
  resolve?: Resolver;
}

/** Why `uri` can never receive a delivery (scheme, credentials, or a refused host before any lookup), or undefined. */
export function deliveryUriRefusal(uri: string, allowHosts: readonly string[] = []): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `'${uri}' is not an absolute URL`;
  }
  if (url.username || url.password) return 'a webhook URI may not carry credentials';
  return outboundUrlRefusal(url, hostPolicy(allowHosts));
}

export function policyFetch(options: PolicyFetchOptions = {}): DeliveryFetch {
  const send = outboundFetch({
    ...(options.allowHosts && { allowHosts: options.allowHosts }),
    ...(options.resolve && { resolve: options.resolve }),
    ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
  });
  return Object.assign((url: string, init: RequestInit) => send(url, { ...init, redirect: 'manual' }), {
    close: () => send.close(),
  });
}
