// IP address texts as the WHATWG URL parser serialises them (dotted decimal IPv4, bracketed
// compressed IPv6): their parts as numbers, and the IPv4 address an IPv6 form carries. A leaf of
// the egress rules (egress.ts, egress-patterns.ts).

export type Quad = [number, number, number, number];

/** The four octets of a dotted-decimal IPv4 text, or undefined. */
export function ipv4Octets(text: string): Quad | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  const octets = v4?.slice(1).map(Number);
  return octets && octets.every((o) => o <= 255) ? (octets as Quad) : undefined;
}

/** The eight 16-bit groups of an IPv6 address (compressed, or with a dotted IPv4 tail), or undefined. */
export function ipv6Groups(text: string): number[] | undefined {
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

/**
 * The IPv4 address an IPv6 address carries and reaches: IPv4-mapped ::ffff:0:0/96,
 * IPv4-compatible ::/96, SIIT ::ffff:0:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16.
 */
export function embeddedIpv4(g: readonly number[]): Quad | undefined {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const quad = (hi: number, lo: number): Quad => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return quad(g[6], g[7]);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return quad(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return quad(g[6], g[7]);
  if (g[0] === 0x2002) return quad(g[1], g[2]);
  return undefined;
}
