// What every request carries through the Hono app: its bindings, its id, the authenticated caller
// and the body read once. A type only, so routes and middleware need not import the app.
import type { AuthenticatedCaller } from '../auth/authenticate';
import type { StreamedPayload } from '../s3/payload';

export interface AppContext {
  Bindings: Env;
  Variables: {
    requestId: string;
    caller: AuthenticatedCaller;
    /** The raw request body, read once (the signature covers it). */
    body: Uint8Array;
    /** An S3 object's bytes left unread by the signed door, to be streamed to R2 (PutObject, UploadPart); unset otherwise. */
    payload?: StreamedPayload;
    /** Another account whose resource IAM allowed this request (a cross-account Invoke); unset otherwise. */
    authorizedAccountId?: string;
  };
}
