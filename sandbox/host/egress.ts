// Egress rules of a function's fetch: which URLs may leave the sandbox. The fixed rules (schemes,
// address ranges, special names), the platform's additions and the function's own lists
// (EgressRules), in that order (docs/SECURITY.md, "Egress from functions").
// Host names arrive as the WHATWG URL parser serialises them, which already turns every IPv4 form
// (decimal 2130706433, octal 0177.0.0.1, hex 0x7f.1, short 127.1, percent-escaped, full-width
// digits) into dotted decimal and every IPv6 form into compressed hex: the rules read only that.
import type { EgressHost, EgressRules, FunctionEgressRules } from '../contract';
import { matchesEgressPattern } from './egress-patterns';
import { embeddedIpv4, ipv6Groups, type Quad } from './ip-addresses';

/** Rules with no additions: the fixed rules alone. */
export const FIXED_RULES_ONLY: EgressRules = { allow: [], platformDomains: [] };

/** Why a host is refused; each completes "... are not reachable from functions". */
type Refusal =
  | 'loopback addresses'
  | 'private addresses'
  | 'link-local addresses'
  | 'multicast addresses'
  | 'unspecified addresses'
  | 'broadcast addresses'
  | 'reserved addresses'
  | 'cloud metadata addresses'
  | 'localhost names'
  | 'private names'
  | "the platform's own hosts";

/**
 * The guest's TypeError message when `url` may not be fetched, or undefined when it may.
 * Order: all refused (`refuseAll`); only http and https (only https with `httpsOnly`); then the
 * platform's rules, which an operator allow entry (host and port) skips: the platform's own
 * domains and hosts, the fixed address and name rules; then the function's own lists, which
 * nothing skips: its deny list, and with an allow list only what it lists.
 * @example egressRefusal(new URL('http://0x7f.1/'), FIXED_RULES_ONLY)
 *   // 'faasbox: fetch to 127.0.0.1 refused: loopback addresses are not reachable from functions'
 */
export function egressRefusal(url: URL, rules: EgressRules): string | undefined {
  if (rules.refuseAll !== undefined) return rules.refuseAll;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `faasbox: fetch to ${url.protocol} URL refused: only http: and https: URLs are reachable from functions`;
  }
  if (rules.httpsOnly && url.protocol !== 'https:') {
    return `faasbox: fetch to ${url.protocol} URL refused: only https: URLs are reachable from this function`;
  }
  // A trailing dot names the same host (`localhost.`); the URL parser keeps it for names.
  const hostname = url.hostname.replace(/\.+$/, '');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (!rules.allow.some((entry) => allows(entry, hostname, port))) {
    const refusal = refusalOfHost(hostname, rules.platformDomains, rules.platformHosts ?? []);
    if (refusal) return `faasbox: fetch to ${hostname} refused: ${refusal} are not reachable from functions`;
  }
  return rules.function && functionRefusal(rules.function, hostname, port);
}

/** The refusal of the function's own lists: its deny list first, then its allow list (if it has one). */
function functionRefusal(rules: FunctionEgressRules, hostname: string, port: number): string | undefined {
  if (rules.deny.some((pattern) => matchesEgressPattern(pattern, hostname, port))) {
    return `faasbox: fetch to ${hostname} refused: listed in the function's egress deny list`;
  }
  if (rules.allowListOnly && !rules.allow.some((pattern) => matchesEgressPattern(pattern, hostname, port))) {
    return `faasbox: fetch to ${hostname} refused: not in the function's egress allow list`;
  }
  return undefined;
}

function allows(entry: EgressHost, hostname: string, port: number): boolean {
  return entry.hostname.replace(/\.+$/, '') === hostname && (entry.port === undefined || entry.port === port);
}

function refusalOfHost(hostname: string, platformDomains: readonly string[], platformHosts: readonly string[]): Refusal | undefined {
  if (platformDomains.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`))) return "the platform's own hosts";
  if (platformHosts.includes(hostname)) return "the platform's own hosts";
  if (hostname.startsWith('[')) {
    const groups = ipv6Groups(hostname.slice(1, -1));
    return groups ? refusalOfIpv6(groups) : 'reserved addresses';
  }
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(hostname);
  if (v4) return refusalOfIpv4(v4.slice(1).map(Number) as Quad);
  return refusalOfName(hostname);
}

/** Cloud metadata services by address: AWS, GCP, Azure, Oracle (169.254.169.254), ECS and EKS task credentials, Alibaba. */
const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '169.254.170.23', '100.100.100.200']);

function refusalOfIpv4([a, b, c, d]: Quad): Refusal | undefined {
  if (METADATA_V4.has(`${a}.${b}.${c}.${d}`)) return 'cloud metadata addresses';
  if (a === 0) return 'unspecified addresses'; // 0.0.0.0/8, "this network": Linux connects 0.0.0.0 to loopback
  if (a === 127) return 'loopback addresses';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private addresses'; // RFC 1918
  if (a === 100 && b >= 64 && b <= 127) return 'private addresses'; // 100.64.0.0/10, carrier-grade NAT (RFC 6598)
  if (a === 169 && b === 254) return 'link-local addresses';
  if (a >= 224 && a <= 239) return 'multicast addresses';
  if (a === 255 && b === 255 && c === 255 && d === 255) return 'broadcast addresses';
  if (a >= 240) return 'reserved addresses';
  // IETF protocol assignments, documentation ranges, benchmarking (RFC 6890).
  if ((a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) {
    return 'reserved addresses';
  }
  return undefined;
}

function refusalOfIpv6(g: number[]): Refusal | undefined {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'unspecified addresses';
  if (zeros(0, 7) && g[7] === 1) return 'loopback addresses';
  // Forms that carry an IPv4 address reach it.
  const carried = embeddedIpv4(g);
  if (carried) return refusalOfIpv4(carried);
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private addresses'; // local-use NAT64 (RFC 8215)
  if (g[0] === 0xfd00 && g[1] === 0xec2 && zeros(2, 7) && g[7] === 0x254) return 'cloud metadata addresses'; // AWS IMDS over IPv6
  if ((g[0] & 0xfe00) === 0xfc00) return 'private addresses'; // unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local addresses';
  if ((g[0] & 0xffc0) === 0xfec0) return 'private addresses'; // site-local, deprecated
  if ((g[0] & 0xff00) === 0xff00) return 'multicast addresses';
  // Discard-only 100::/64, Teredo 2001::/32 (its IPv4 is obfuscated), documentation 2001:db8::/32.
  if ((g[0] === 0x100 && zeros(1, 4)) || (g[0] === 0x2001 && (g[1] === 0 || g[1] === 0xdb8))) return 'reserved addresses';
  return undefined;
}

/** Cloud metadata services by name (GCP, AWS). */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);
/** Suffixes only private resolvers answer: mDNS (RFC 6762), ICANN's private-use TLD, RFC 8375, /etc/hosts' localdomain. */
const PRIVATE_SUFFIXES = ['local', 'internal', 'home.arpa', 'localdomain'];

function refusalOfName(hostname: string): Refusal | undefined {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return 'localhost names';
  if (METADATA_NAMES.has(hostname)) return 'cloud metadata addresses';
  if (PRIVATE_SUFFIXES.some((suffix) => hostname === suffix || hostname.endsWith(`.${suffix}`))) return 'private names';
  // One label (`router`, `intranet`): resolved only by a local search domain.
  if (!hostname.includes('.')) return 'private names';
  return undefined;
}
