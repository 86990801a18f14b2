// Egress rules of a function's fetch: which URLs may leave the sandbox. A leaf: the fixed rules
// (schemes, address ranges, special names) and the control plane's additions (EgressRules).
// Host names arrive as the WHATWG URL parser serialises them, which already turns every IPv4 form
// (decimal 2130706433, octal 0177.0.0.1, hex 0x7f.1, short 127.1, percent-escaped, full-width
// digits) into dotted decimal and every IPv6 form into compressed hex: the rules read only that.
import type { EgressHost, EgressRules } from '../contract';

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
 * Order: all refused (`refuseAll`); only http and https (only https with `httpsOnly`); an operator allow entry (host and port) wins over every other
 * rule; then the platform's own domains; then the fixed address and name rules.
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
  if (rules.allow.some((entry) => allows(entry, hostname, port))) return undefined;
  const refusal = refusalOfHost(hostname, rules.platformDomains);
  return refusal && `faasbox: fetch to ${hostname} refused: ${refusal} are not reachable from functions`;
}

function allows(entry: EgressHost, hostname: string, port: number): boolean {
  return entry.hostname.replace(/\.+$/, '') === hostname && (entry.port === undefined || entry.port === port);
}

function refusalOfHost(hostname: string, platformDomains: readonly string[]): Refusal | undefined {
  if (platformDomains.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`))) return "the platform's own hosts";
  if (hostname.startsWith('[')) {
    const groups = ipv6Groups(hostname.slice(1, -1));
    return groups ? refusalOfIpv6(groups) : 'reserved addresses';
  }
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(hostname);
  if (v4) return refusalOfIpv4(v4.slice(1).map(Number) as Quad);
  return refusalOfName(hostname);
}

type Quad = [number, number, number, number];

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

/** The eight 16-bit groups of an IPv6 address (compressed, or with a dotted IPv4 tail), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
  let tail: number[] = [];
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number);
    tail = [(a << 8) | b, (c << 8) | d];
    text = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - rest.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest, ...tail];
  return groups.length === 8 && groups.every((g) => g >= 0) ? groups : undefined;
}

function refusalOfIpv6(g: number[]): Refusal | undefined {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const embedded = (hi: number, lo: number): Quad => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  if (zeros(0, 8)) return 'unspecified addresses';
  if (zeros(0, 7) && g[7] === 1) return 'loopback addresses';
  // Forms that carry an IPv4 address reach it: IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96,
  // SIIT ::ffff:0:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16.
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return refusalOfIpv4(embedded(g[6], g[7]));
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return refusalOfIpv4(embedded(g[6], g[7]));
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return refusalOfIpv4(embedded(g[6], g[7]));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private addresses'; // local-use NAT64 (RFC 8215)
  if (g[0] === 0x2002) return refusalOfIpv4(embedded(g[1], g[2]));
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
