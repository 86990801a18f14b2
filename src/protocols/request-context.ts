// What every request carries through the Hono app: its bindings, its id, the authenticated caller
// and the body read once. A type only, so routes and middleware need not import the app.
import type { AuthenticatedCaller } from '../auth/authenticate';

export interface AppContext {
  Bindings: Env;
  Variables: {
    requestId: string;
    caller: AuthenticatedCaller;
    /** The raw request body, read once (the signature covers it). */
    body: Uint8Array;
    /** Another account whose resource IAM allowed this request (a cross-account Invoke); unset otherwise. */
    authorizedAccountId?: string;
  };
}
