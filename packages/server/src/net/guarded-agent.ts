/**
 * An undici Agent that can only connect where the address policy allows. The check happens where the address
 * is chosen, for every connection the agent opens (the first request, every redirect hop, every reconnect):
 * IP literals in the connector, host names in the socket's DNS lookup — every answer vetted, then the socket
 * connects to exactly those answers — so a DNS answer that changes between a check and the connect
 * (rebinding) cannot slip through.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import type { Agent, buildConnector } from 'undici';
import { type HostPolicy, normalizeHost } from './address-policy.ts';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to its addresses; `node:dns` lookup (`all: true`) by default. Replaceable for tests. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, order: 'verbatim' });

/** Thrown (through undici) when a connection would reach a refused address. Stable code `ERR_UNSAFE_ADDRESS`. */
export class UnsafeAddressError extends Error {
  readonly code = 'ERR_UNSAFE_ADDRESS';
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeAddressError';
  }
}

/** Whether `error` or any of its causes is an {@link UnsafeAddressError} (undici wraps connect errors). */
export function isUnsafeAddressError(error: unknown): error is UnsafeAddressError {
  for (let e = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === 'ERR_UNSAFE_ADDRESS') return true;
  }
  return false;
}

export interface GuardedAgentOptions {
  policy: HostPolicy;
  resolve?: Resolver;
  connectTimeoutMs?: number;
}

/** undici is loaded on first use (the first outbound request), not with the server. */
export async function guardedAgent(options: GuardedAgentOptions): Promise<Agent> {
  const { Agent, buildConnector } = await import('undici');
  const { policy } = options;
  const connector = buildConnector({
    lookup: vettingLookup(policy, options.resolve ?? systemResolver),
    timeout: options.connectTimeoutMs ?? 10_000,
  } as buildConnector.BuildOptions);
  return new Agent({
    connect(connectOptions, callback) {
      const host = normalizeHost(connectOptions.hostname);
      const reason = isIP(host) !== 0 ? policy.refuseAddress(host, host) : policy.refuseBeforeLookup(host);
      if (reason) {
        callback(new UnsafeAddressError(reason), null);
        return;
      }
      connector(connectOptions, callback);
    },
  });
}

function vettingLookup(policy: HostPolicy, resolve: Resolver): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
    resolve(hostname)
      .then((answers) => {
        const addresses = answers.filter((a) => wanted === 0 || a.family === wanted);
        if (addresses.length === 0)
          throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
        for (const { address } of addresses) {
          const reason = policy.refuseAddress(hostname, address);
          if (reason) throw new UnsafeAddressError(reason);
        }
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
}
