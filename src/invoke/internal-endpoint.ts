// The internal AWS endpoint: a function's requests to AWS_ENDPOINT_URL are served by faasbox's own
// app in this isolate, never over the network. The invocation path holds only the door; the app's
// entry (src/index.ts) hands it the handler, which decides what is reachable (src/app.ts).

/**
 * AWS_ENDPOINT_URL inside every function. A fixed name, not the platform's own origin: the Worker
 * has no single origin (localhost:8787 in dev, any route in production), and a name under
 * `.internal` (reserved for private use, never in public DNS) cannot be a real host. The egress
 * rules refuse such names anyway, so a request to it never leaves, whatever the routing.
 */
export const INTERNAL_AWS_ORIGIN = 'https://aws.faasbox.internal';

/** Serves one request of a function to the internal endpoint, with the invocation's env and context. */
export type InternalApiHandler = (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>;

let handler: InternalApiHandler | undefined;

/** Sets the handler of the internal endpoint: src/index.ts, once, with the app's (wiring only). */
export function serveInternalApiWith(internalApi: InternalApiHandler): void {
  handler = internalApi;
}

/** Whether `request` goes to the internal endpoint rather than the network. */
export const isInternalApiRequest = (request: Request) => new URL(request.url).origin === INTERNAL_AWS_ORIGIN;

/**
 * Serves `request` in process. It is authenticated like any API request (SigV4 with the
 * function's session token); the answer is the app's. Without a handler (only code loaded
 * without the entry, never the Worker) it fails as a network error would.
 */
export async function fetchInternalApi(env: Env, waitUntil: (p: Promise<unknown>) => void, request: Request): Promise<Response> {
  if (!handler) throw new TypeError(`${INTERNAL_AWS_ORIGIN} is not served in this isolate`);
  const ctx = { waitUntil, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
  return handler(request, env, ctx);
}
