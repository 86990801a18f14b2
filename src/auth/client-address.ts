// The source address of a request, read in one place (rate limits, function URL events).

/**
 * The client's address as the platform delivers it: `cf-connecting-ip` when the request came
 * through Cloudflare's edge or `wrangler dev` (both set `request.cf`; the edge overwrites a
 * client's own header), else undefined (an in-process call, a binding). Under `wrangler dev` a
 * local client may still send any value: per-address limits hold locally only for clients that do
 * not lie (docs/SECURITY.md).
 * @example const address = clientAddress(c.req.raw);
 */
export function clientAddress(request: Request): string | undefined {
  if (request.cf === undefined) return undefined;
  const address = request.headers.get('cf-connecting-ip')?.trim();
  return address ? address : undefined;
}
