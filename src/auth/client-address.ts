// The source address of a request, read in one place.

/**
 * The client's address as Cloudflare's edge sets it (`cf-connecting-ip`, overwritten there for
 * every request), or undefined when there is none. Under `wrangler dev` no edge is in front: a
 * client may send any value, so per-address limits hold locally only for clients that do not lie.
 * @example const address = clientAddress(c.req.raw);
 */
export function clientAddress(request: Request): string | undefined {
  const address = request.headers.get('cf-connecting-ip')?.trim();
  return address ? address : undefined;
}
