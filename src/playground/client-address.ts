// The client address as the playground keeps it: a keyed hash (HMAC), never the address itself, so
// per-address creation limits can be counted without storing or logging who asked.
import { hmacHex, playgroundSecret } from './secrets';

/**
 * The bucket of requests that carry no address (an in-process call, a local client under
 * `wrangler dev` that sent none): they all share one set of per-address limits, as locally.
 */
export const NO_ADDRESS_BUCKET = 'no client address';

/**
 * HMAC-SHA-256 of the client (or NO_ADDRESS_BUCKET) under the playground's address key, as hex. An
 * IPv6 client counts by its /64, the block one subscriber gets: one address each would give a
 * single client 2^64 "addresses".
 */
export async function clientAddressHash(rootKeyBase64: string, address: string | undefined): Promise<string> {
  return hmacHex(await playgroundSecret(rootKeyBase64, 'client address hash'), address === undefined ? NO_ADDRESS_BUCKET : addressBlock(address));
}

/** An IPv4 address as it is; an IPv6 address as its first 64 bits (`2001:db8:1:2::/64`). */
export function addressBlock(address: string): string {
  if (!address.includes(':')) return address;
  // The URL parser writes IPv6 in one canonical form ([2001:db8::1]); then the groups are expanded.
  let canonical: string;
  try {
    canonical = new URL(`http://[${address.replace(/^\[|\]$/g, '')}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
  const [head, tail = ''] = canonical.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = canonical.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = canonical.includes('::') ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 4).join(':')}::/64`;
}
