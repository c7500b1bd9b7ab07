/**
 * How deliveries leave the server: a `fetch`-shaped function, so the delivery queue does not care what is behind
 * it. The default goes through the server's outbound address policy (the same as `url_context`: public unicast
 * addresses only, every resolved address checked at connect time), with an allow-list for local receivers.
 * Redirects are not followed: a receiver must answer at its own URI (a 3xx counts as a failed attempt).
 */
import { hostPolicy } from '../builtins/url-context/address-policy.ts';
import { guardedAgent, type Resolver, UnsafeAddressError } from '../builtins/url-context/guarded-agent.ts';

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

/** Why `uri` can never receive a delivery (scheme, or a refused host before any lookup), or undefined. */
export function deliveryUriRefusal(uri: string, allowHosts: readonly string[] = []): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `'${uri}' is not an absolute URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `only http and https URIs can receive webhooks`;
  if (url.username || url.password) return 'a webhook URI may not carry credentials';
  return hostPolicy(allowHosts).refuseBeforeLookup(url.hostname);
}

export function policyFetch(options: PolicyFetchOptions = {}): DeliveryFetch {
  const policy = hostPolicy(options.allowHosts);
  let agent: ReturnType<typeof guardedAgent> | undefined;
  const send = async (url: string, init: RequestInit): Promise<Response> => {
    const refusal = deliveryUriRefusal(url, options.allowHosts);
    if (refusal) throw new UnsafeAddressError(refusal);
    const { fetch } = await import('undici');
    agent ??= guardedAgent({
      policy,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      ...(options.resolve && { resolve: options.resolve }),
    });
    const dispatcher = await agent;
    return (await fetch(url, {
      ...(init as object),
      redirect: 'manual',
      dispatcher,
    } as never)) as unknown as Response;
  };
  return Object.assign(send, {
    async close() {
      const open = agent;
      agent = undefined;
      if (open) await (await open).close();
    },
  });
}
