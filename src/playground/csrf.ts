// The CSRF check of every playground request that acts on a session or creates one: a custom header a
// cross-origin page cannot send without a preflight, and a same-origin Origin (or Sec-Fetch-Site).
// Locally `*.localhost` (function URLs) is same-site with `localhost`, so SameSite alone is not enough.

/** The header the console sends; a cross-origin form or image cannot set it. */
export const PLAYGROUND_HEADER = 'x-faasbox-playground';

/**
 * Why `request` is refused, or undefined when it passes: X-Faasbox-Playground: 1, and an Origin
 * equal to the request's own origin, or no Origin with Sec-Fetch-Site: same-origin. Any
 * Sec-Fetch-Site other than same-origin is refused, whatever the Origin says.
 */
export function csrfRefusal(request: Request): string | undefined {
  if (request.headers.get(PLAYGROUND_HEADER) !== '1') return 'the X-Faasbox-Playground: 1 header is missing';
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite !== null && fetchSite !== 'same-origin') return `a ${fetchSite} request may not act on a playground session`;
  const origin = request.headers.get('origin');
  if (origin === null) return fetchSite === 'same-origin' ? undefined : 'the request names no Origin';
  if (origin !== new URL(request.url).origin) return 'the request comes from another origin';
  return undefined;
}
