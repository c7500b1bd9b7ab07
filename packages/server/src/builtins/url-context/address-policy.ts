/**
 * Which hosts `url_context` may fetch from (SSRF policy). An address is refused when it is not a public unicast
 * address: loopback, private, link-local (incl. cloud metadata 169.254.169.254), CGNAT, multicast, unspecified,
 * reserved/documentation ranges, IPv6 ULA/link-local/site-local, and IPv6 forms that embed an IPv4 address
 * (mapped, NAT64, 6to4, Teredo). Hosts on the allow-list skip the check.
 */
import { BlockList, isIP } from 'node:net';

const FORBIDDEN = new BlockList();
const V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved / broadcast'],
];
const V6: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'IPv4-compatible'],
  ['64:ff9b::', 96, 'NAT64 (embeds an IPv4 address)'],
  ['64:ff9b:1::', 48, 'local NAT64'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'IETF protocol assignments (incl. Teredo)'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4 (embeds an IPv4 address)'],
  ['fc00::', 7, 'unique local (private)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];
for (const [net, prefix] of V4) FORBIDDEN.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of V6) FORBIDDEN.addSubnet(net, prefix, 'ipv6');

/** Why `address` (an IP literal) may not be fetched from, or undefined when it is a public address. */
export function forbiddenAddress(address: string): string | undefined {
  const ip = unbracket(address);
  const family = isIP(ip);
  if (family === 0) return 'not an IP address';
  // BlockList checks IPv4-mapped IPv6 (::ffff:a.b.c.d) against the IPv4 rules too.
  if (!FORBIDDEN.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return undefined;
  return `${ip} is a ${describe(ip, family)} address`;
}

function describe(ip: string, family: number): string {
  const rules = family === 4 ? V4 : V6;
  for (const [net, prefix, label] of rules) {
    const one = new BlockList();
    one.addSubnet(net, prefix, family === 4 ? 'ipv4' : 'ipv6');
    if (one.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return label;
  }
  return family === 6 ? 'IPv4-mapped non-public' : 'non-public';
}

export interface HostPolicy {
  /** Whether `host` (a URL hostname, lower-case) is on the allow-list. */
  allowed(host: string): boolean;
  /** Why `host` is refused before any DNS lookup, or undefined (a name still needs its DNS answers checked). */
  refuseBeforeLookup(host: string): string | undefined;
}

/**
 * `allowHosts` entries: a hostname (`intranet.example`), a wildcard for subdomains (`*.example.com`), or an IP
 * address (`127.0.0.1`, `::1` or `[::1]`). Matching is case-insensitive and ignores a trailing dot.
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
      if (isIP(h) !== 0) return forbiddenAddress(h);
      if (h === 'localhost' || h.endsWith('.localhost')) return `${h} is a loopback name`;
      if (!h.includes('.')) return `'${h}' is not a public host name`;
      return undefined;
    },
  };
}

/** Lower-case, no brackets around IPv6, no trailing dot; IPv4-mapped IPv6 kept as written. */
export function normalizeHost(host: string): string {
  return unbracket(host.trim().toLowerCase()).replace(/\.$/, '');
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
