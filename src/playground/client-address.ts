// The client address as the playground keeps it: a keyed hash (HMAC), never the address itself, so
// per-address creation limits can be counted without storing or logging who asked.
import { hmacHex, playgroundSecret } from './secrets';

/**
 * The bucket of requests that carry no address (an in-process call, a local client under
 * `wrangler dev` that sent none): they all share one set of per-address limits, as locally.
 */
export const NO_ADDRESS_BUCKET = 'no client address';

/** HMAC-SHA-256 of `address` (or NO_ADDRESS_BUCKET) under the playground's address key, as hex. */
export async function clientAddressHash(rootKeyBase64: string, address: string | undefined): Promise<string> {
  return hmacHex(await playgroundSecret(rootKeyBase64, 'client address hash'), address ?? NO_ADDRESS_BUCKET);
}
