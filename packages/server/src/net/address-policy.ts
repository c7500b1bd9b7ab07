/**
 * The outbound address policy (SSRF): which IP addresses and host names the server may connect to on a
 * request's behalf. One rule for every outbound caller (url_context, hosted mcp_server, a provider fetching a
 * `uri`, webhooks): only **public unicast** addresses, judged with ipaddr.js's range tables —
 *
 * - IPv4: refused unless ipaddr.js calls it `unicast` (so not loopback, private, link-local incl. the cloud
 *   metadata address, CGNAT, unspecified, broadcast, multicast, reserved/documentation/benchmarking, AS112, AMT);
 * - IPv6: IPv4-mapped addresses (`::ffff:a.b.c.d`) are judged as the IPv4 address they carry; anything else
 *   must be global unicast (`2000::/3`) and `unicast` to ipaddr.js — so loopback, ULA, link-local,
 *   site-local, multicast, IPv4-compatible (`::127.0.0.1`), IPv4-translated (`::ffff:0:a.b.c.d`), NAT64
 *   (`64:ff9b::/96`), 6to4 (`2002::/16`), Teredo and the documentation ranges are all refused, whatever
 *   IPv4 address they embed.
 *
 * Host names are refused before any lookup when they are `localhost`, `*.localhost` or dotless (those resolve
 * through search domains to internal hosts); any other name is judged by its DNS answers, at connect time
 * (guarded-agent.ts). Hosts on the allow-list skip every check.
 *
 * @example
 * ```ts
 * import { addressRefusal, hostPolicy } from './net/address-policy.ts';
 *
 * addressRefusal('169.254.169.254'); // '169.254.169.254 is a link-local address'
 * addressRefusal('8.8.8.8');         // undefined: public
 * const policy = hostPolicy(['127.0.0.1', '*.corp.example']);
 * policy.refuseBeforeLookup('localhost'); // 'localhost is a loopback name'
 * ```
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** What each non-public range is, in words (ipaddr.js range names → the reason a refusal gives). */
const RANGE_WORDS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved or documentation',
  benchmarking: 'benchmarking',
  amt: 'AMT relay',
  as112: 'AS112',
  as112v6: 'AS112',
  uniqueLocal: 'unique local (private)',
  deprecatedSiteLocal: 'site-local',
  discard: 'discard-only',
  rfc6145: 'IPv4-translated (embeds an IPv4 address)',
  rfc6052: 'NAT64 (embeds an IPv4 address)',
  '6to4': '6to4 (embeds an IPv4 address)',
  teredo: 'Teredo (embeds an IPv4 address)',
  deprecatedOrchid: 'ORCHID',
  orchid2: 'ORCHID',
  droneRemoteIdProtocolEntityTags: 'drone remote ID',
  segmentRouting: 'segment routing',
};

/**
 * Why the server may not connect to `address` (an IP literal, brackets allowed), or undefined when it is a
 * public unicast address. A string that is not an IP address is refused too.
 */
export function addressRefusal(address: string): string | undefined {
  const ip = unbracket(address.trim());
  if (isIP(ip) === 0) return `${ip} is not an IP address`;
  const parsed = ipaddr.parse(ip);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    const inner = (parsed as ipaddr.IPv6).toIPv4Address();
    const reason = ipv4Refusal(inner);
    return reason && `${ip} maps ${inner.toString()}, a ${reason} address`;
  }
  const reason =
    parsed.kind() === 'ipv4' ? ipv4Refusal(parsed as ipaddr.IPv4) : ipv6Refusal(parsed as ipaddr.IPv6);
  return reason && `${ip} is a ${reason} address`;
}

function ipv4Refusal(ip: ipaddr.IPv4): string | undefined {
  const range = ip.range();
  return range === 'unicast' ? undefined : (RANGE_WORDS[range] ?? range);
}

function ipv6Refusal(ip: ipaddr.IPv6): string | undefined {
  const range = ip.range();
  if (range !== 'unicast') return RANGE_WORDS[range] ?? range;
  // ipaddr.js calls everything outside its special ranges `unicast`, including ::/8 (IPv4-compatible,
  // e.g. ::127.0.0.1) and other unassigned space: only global unicast is routable on the internet.
  if (!ip.match(GLOBAL_UNICAST_V6)) return 'non-global (reserved)';
  return undefined;
}

export interface HostPolicy {
  /** Whether `host` (a URL hostname or an IP, any case, brackets allowed) is on the allow-list. */
  allowed(host: string): boolean;
  /**
   * Why `host` is refused before any DNS lookup (a forbidden IP literal, a loopback or dotless name), or
   * undefined: a name still needs its DNS answers checked when connecting.
   */
  refuseBeforeLookup(host: string): string | undefined;
  /** Why a connection to `host` resolved to `address` is refused, or undefined. */
  refuseAddress(host: string, address: string): string | undefined;
}

/**
 * The policy with an allow-list: entries are host names (`intranet.example`), subdomain wildcards
 * (`*.corp.example`) or IPs (`127.0.0.1`, `::1` or `[::1]`); matching is case-insensitive and ignores a
 * trailing dot. An allowed host skips every check (its DNS answers included).
 */
export function hostPolicy(allowHosts: readonly string[] = []): HostPolicy {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const entry of allowHosts) {
    const host = normalizeHost(entry);
    if (host.startsWith('*.')) suffixes.push(host.slice(1));
    else exact.add(host);
  }
  const allowed = (host: string): boolean => {
    const h = normalizeHost(host);
    return exact.has(h) || suffixes.some((suffix) => h.endsWith(suffix));
  };
  return {
    allowed,
    refuseBeforeLookup(host) {
      if (allowed(host)) return undefined;
      const h = normalizeHost(host);
      if (isIP(h) !== 0) return addressRefusal(h);
      if (h === 'localhost' || h.endsWith('.localhost')) return `${h} is a loopback name`;
      if (!h.includes('.')) return `'${h}' is not a public host name`;
      return undefined;
    },
    refuseAddress(host, address) {
      if (allowed(host)) return undefined;
      const reason = addressRefusal(address);
      const h = normalizeHost(host);
      return reason && (h === normalizeHost(address) ? reason : `${h} resolves to ${reason}`);
    },
  };
}

/** Lower-case, no brackets around IPv6, no trailing dot. */
export function normalizeHost(host: string): string {
  return unbracket(host.trim().toLowerCase()).replace(/\.$/, '');
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
