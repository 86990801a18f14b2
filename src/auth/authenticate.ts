// Who is calling: resolves a SigV4-signed request to its account, or throws SignedRequestError.
// Everything that needs no body is checked before the body is read (docs/SECURITY.md, "Request signatures").
import type { Caller } from '../function-names';
import { checkSignedHeaders, sha256Hex, signatureMismatch, timingSafeEqual, unrecognizedClient, verifySignature } from './sigv4';
import { accountDirectory } from '../bindings';
import { readConfig } from '../config';
import { rootPrincipal, type Principal } from '../iam/principal';

export interface AuthenticatedCaller extends Caller {
  accessKeyId: string;
  /** The local admin account (keys from .dev.vars / secrets) may manage other accounts. */
  isAdmin: boolean;
  /** A playground sandbox's key: the playground's quotas apply (docs/PLAYGROUND.md). */
  playground: boolean;
  /** Who signed: the account's root, an IAM user or a role session (src/iam/principal.ts). */
  principal: Principal;
}

/** A payload hash is 64 lowercase hex digits; UNSIGNED-PAYLOAD and STREAMING-* are S3's alone. */
const PAYLOAD_HASH = /^[0-9a-f]{64}$/;

/**
 * Verifies the request's signature against the key's secret and reads its body, in this order:
 *   1. the headers (Authorization, signed host and x-amz-date, date, region, `service`), no body read;
 *   2. the key exists (the admin key from the Worker's secrets, every other from the AccountDirectory);
 *   3. a signed x-amz-content-sha256: the signature over it, then `readBody`, then the body's hash;
 *      no signed hash (the AWS CLI v2, boto3): `readBody`, then the signature over the body's hash.
 * `service` is the SigV4 service of the API the request goes to (undefined: any). `readBody`
 * reads the raw body within the API's bound. Throws SignedRequestError.
 */
export async function authenticate(
  env: Env,
  request: Request,
  service: string | undefined,
  readBody: () => Promise<Uint8Array>,
): Promise<{ caller: AuthenticatedCaller; body: Uint8Array }> {
  const { region } = readConfig(env);
  const head = checkSignedHeaders(request, { region, service });
  const { accountId, secret, isAdmin, playground } = await resolveAccessKey(env, head.auth.accessKeyId);
  const caller = { accountId, region, accessKeyId: head.auth.accessKeyId, isAdmin, playground, principal: rootPrincipal(accountId) };
  const declared = head.signedPayloadHash;
  if (declared === undefined) {
    const body = await readBody();
    await verifySignature(request, head, secret, await sha256Hex(body));
    return { caller, body };
  }
  // These APIs hash the body themselves, as AWS's JSON and REST services do: a payload hash that is
  // not one can never match it.
  if (!PAYLOAD_HASH.test(declared)) throw signatureMismatch();
  await verifySignature(request, head, secret, declared);
  const body = await readBody();
  if (!timingSafeEqual(await sha256Hex(body), declared)) throw signatureMismatch();
  return { caller, body };
}

/**
 * The account and secret of an access key: the admin key from the Worker's secrets, every other
 * key from the AccountDirectory. Throws UnrecognizedClientException for an unknown key.
 */
export async function resolveAccessKey(env: Env, accessKeyId: string): Promise<{ accountId: string; secret: string; isAdmin: boolean; playground: boolean }> {
  const { adminAccessKeyId, adminSecretAccessKey, adminAccountId } = readConfig(env);
  // readConfig refuses a key id without its secret.
  if (adminAccessKeyId && adminSecretAccessKey && timingSafeEqual(accessKeyId, adminAccessKeyId)) {
    return { accountId: adminAccountId, secret: adminSecretAccessKey, isAdmin: true, playground: false };
  }
  const key = await accountDirectory(env).findAccessKey(accessKeyId);
  if (!key) throw unrecognizedClient();
  return { accountId: key.accountId, secret: key.secretAccessKey, isAdmin: false, playground: key.playground };
}
