// Entries of a function's own egress lists (docs/SECURITY.md, "A function's own rules"): parsed
// from the text the API takes, printed back in one normal form, and matched against a fetched
// URL's host and port. Host names are normalised by the same WHATWG URL parser that serialises a
// fetched URL, so every form of a host (case, IDNA, trailing dot, IPv4 in decimal) is one entry.
import type { EgressPattern } from '../contract';
import { embeddedIpv4, ipv4Octets, ipv6Groups } from './ip-addresses';

/**
 * The pattern `text` names, or why it names none. Forms: `api.example.com`, `*.example.org`
 * (every name under it, not itself), `203.0.113.7`, `[2001:db8::1]`, each with an optional
 * `:port` (a bare IPv6 address, `2001:db8::1`, has none); ranges `203.0.113.0/24`, `2001:db8::/32` (any port).
 * @example parseEgressPattern('*.Example.org:443') // { domain: 'example.org', port: 443 }
 */
export function parseEgressPattern(text: string): EgressPattern | { problem: string } {
  const range = /^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]+)\/(\d{1,3})$/.exec(text);
  if (range) return parseRange(range[1], Number(range[2]));
  // A bare IPv6 address (two colons at least) cannot carry a port: the same as in brackets.
  if (/^[0-9A-Fa-f:.]+$/.test(text) && text.split(':').length > 2) text = `[${text}]`;
  const entry = /^(\*\.)?(\[[0-9A-Fa-f:.]+\]|[^\s:/@?#[\]*\\]+)(?::(\d{1,5}))?$/.exec(text);
  if (!entry) return { problem: 'it is not a host name, *.domain, IP address or CIDR range with an optional :port' };
  const [, wildcard, host, portText] = entry;
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65_535)) return { problem: 'its port is not between 1 and 65535' };
  const hostname = urlHostname(host);
  if (hostname === undefined) return { problem: 'its host is not a valid host name or IP address' };
  const withPort = <T extends object>(pattern: T) => (port === undefined ? pattern : { ...pattern, port });
  const bytes = addressBytes(hostname);
  if (wildcard) {
    if (bytes) return { problem: 'a * wildcard names the names under a domain, not under an IP address' };
    return withPort({ domain: hostname });
  }
  return bytes ? withPort({ address: hostname, prefixBits: bytes.length * 8 }) : withPort({ host: hostname });
}

/** The normal text of a pattern: what parseEgressPattern reads back to the same pattern. */
export function formatEgressPattern(pattern: EgressPattern): string {
  const port = pattern.port === undefined ? '' : `:${pattern.port}`;
  if ('host' in pattern) return `${pattern.host}${port}`;
  if ('domain' in pattern) return `*.${pattern.domain}${port}`;
  const full = pattern.address.startsWith('[') ? 128 : 32;
  if (pattern.prefixBits === full) return `${pattern.address}${port}`;
  return `${pattern.address.replace(/^\[(.*)\]$/, '$1')}/${pattern.prefixBits}`;
}

/**
 * Whether a fetched URL's host (as the URL parser serialises it, trailing dots removed) and port
 * match `pattern`. An IPv6 address that carries an IPv4 one (::ffff:a.b.c.d, NAT64, 6to4) also
 * matches as that IPv4 address, so no other form of a listed address slips past a deny list.
 */
export function matchesEgressPattern(pattern: EgressPattern, hostname: string, port: number): boolean {
  if (pattern.port !== undefined && pattern.port !== port) return false;
  if ('host' in pattern) return hostname === pattern.host;
  if ('domain' in pattern) return hostname.endsWith(`.${pattern.domain}`);
  const listed = addressBytes(pattern.address);
  const fetched = addressBytes(hostname);
  if (!listed || !fetched) return false;
  if (listed.length === fetched.length) return samePrefix(listed, fetched, pattern.prefixBits);
  const carried = fetched.length === 16 ? embeddedIpv4(groupsOf(fetched)) : undefined;
  return listed.length === 4 && carried !== undefined && samePrefix(listed, carried, pattern.prefixBits);
}

function parseRange(text: string, prefixBits: number): EgressPattern | { problem: string } {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  const hostname = urlHostname(bare.includes(':') ? `[${bare}]` : bare);
  const bytes = hostname === undefined ? undefined : addressBytes(hostname);
  if (!bytes) return { problem: 'its range does not start with an IP address' };
  if (prefixBits > bytes.length * 8) return { problem: `its prefix length is over ${bytes.length * 8}` };
  // The range's first address: `203.0.113.7/24` is `203.0.113.0/24`.
  const network = bytes.map((byte, i) => byte & (0xff << Math.max(0, Math.min(8, 8 * (i + 1) - prefixBits)) & 0xff));
  return { address: addressText(network), prefixBits };
}

/** The host as the URL parser serialises it (trailing dots removed), or undefined when it is none. */
function urlHostname(host: string): string | undefined {
  try {
    const url = new URL(`http://${host}/`);
    const hostname = url.hostname.replace(/\.+$/, '');
    return url.host === url.hostname && url.username === '' && hostname !== '' ? hostname : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes of an IP address host (4 or 16), or undefined for a name. */
function addressBytes(hostname: string): number[] | undefined {
  if (hostname.startsWith('[')) return ipv6Groups(hostname.slice(1, -1))?.flatMap((g) => [g >> 8, g & 0xff]);
  return ipv4Octets(hostname);
}

function groupsOf(bytes: readonly number[]): number[] {
  return Array.from({ length: 8 }, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1]);
}

/** An address's text as the URL parser serialises it. */
function addressText(bytes: number[]): string {
  if (bytes.length === 4) return bytes.join('.');
  return new URL(`http://[${groupsOf(bytes).map((g) => g.toString(16)).join(':')}]/`).hostname;
}

function samePrefix(a: readonly number[], b: readonly number[], bits: number): boolean {
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}
