// Who is calling: resolves a SigV4-signed request to its account and principal (the account's
// root, an IAM user's key, or a role session's temporary key with its X-Amz-Security-Token), or
// throws SignedRequestError. Everything that needs no body is checked before the body is read
// (docs/SECURITY.md, "Request signatures").
import type { Caller } from '../function-names';
import { checkSignedHeaders, expiredToken, sha256Hex, signatureMismatch, timingSafeEqual, unrecognizedClient, verifySignature } from './sigv4';
import { accountDirectory } from '../bindings';
import { readConfig } from '../config';
import { rootPrincipal, userArn, type Principal } from '../iam/principal';
import { isSessionKeyId, openSessionToken, sessionPrincipal, SessionTokenError } from '../iam/session-token';

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
 *   2. the key exists (the admin key from the Worker's secrets, a role session's ASIA key from its
 *      X-Amz-Security-Token, every other from the AccountDirectory);
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
  const keyId = head.auth.accessKeyId;
  const { accountId, secret, isAdmin, playground, principal } = await resolveSigningKey(env, keyId, request);
  const caller = { accountId, region, accessKeyId: keyId, isAdmin, playground, principal };
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

/** The key `keyId` of `request` signed with: a role session's (its token from the request) or a long-term one. Throws SignedRequestError. */
export function resolveSigningKey(env: Env, keyId: string, request: Request): Promise<ResolvedKey> {
  return isSessionKeyId(keyId) ? resolveSessionKey(env, keyId, sessionToken(request)) : resolveAccessKey(env, keyId);
}

/** Whose key signed: its account, its secret and the principal it acts as. */
export interface ResolvedKey {
  accountId: string;
  secret: string;
  isAdmin: boolean;
  playground: boolean;
  principal: Principal;
}

/**
 * The account and secret of a long-term access key: the admin key from the Worker's secrets,
 * every other key from the AccountDirectory (an IAM user's key acts as that user, the account's
 * own keys as its root). Throws UnrecognizedClientException for an unknown or inactive key.
 */
export async function resolveAccessKey(env: Env, accessKeyId: string): Promise<ResolvedKey> {
  const { adminAccessKeyId, adminSecretAccessKey, adminAccountId } = readConfig(env);
  // readConfig refuses a key id without its secret.
  if (adminAccessKeyId && adminSecretAccessKey && timingSafeEqual(accessKeyId, adminAccessKeyId)) {
    return { accountId: adminAccountId, secret: adminSecretAccessKey, isAdmin: true, playground: false, principal: rootPrincipal(adminAccountId) };
  }
  const key = await accountDirectory(env).findAccessKey(accessKeyId, adminAccountId);
  // An inactive key is refused as AWS refuses it: the directory answers it as no key.
  if (!key) throw unrecognizedClient();
  const principal: Principal = key.user
    ? { kind: 'user', accountId: key.accountId, arn: userArn(key.accountId, key.user.userName, key.user.path), userName: key.user.userName, userId: key.user.userId }
    : rootPrincipal(key.accountId);
  return { accountId: key.accountId, secret: key.secretAccessKey, isAdmin: false, playground: key.playground, principal };
}

/** The role session token of a request: the X-Amz-Security-Token header, or the query parameter of a presigned URL. */
function sessionToken(request: Request): string | undefined {
  const query = new URL(request.url).searchParams;
  // A SigV4 presigned URL names it X-Amz-Security-Token; S3's SigV2 query auth x-amz-security-token.
  return request.headers.get('x-amz-security-token') ?? query.get('X-Amz-Security-Token') ?? query.get('x-amz-security-token') ?? undefined;
}

/**
 * The account and secret of a role session's temporary key (ASIA...), from its sealed token:
 *   1. no token, or one faasbox did not issue for this key id: UnrecognizedClientException;
 *   2. a token past its expiry: ExpiredTokenException;
 *   3. a token of an account that no longer exists: UnrecognizedClientException (the configured
 *      admin account always exists).
 * Whether the role still exists is authorization's question: a deleted role's session may do nothing.
 */
async function resolveSessionKey(env: Env, accessKeyId: string, token: string | undefined): Promise<ResolvedKey> {
  if (!token) throw unrecognizedClient();
  let claims;
  try {
    claims = await openSessionToken(env, token, accessKeyId);
  } catch (error) {
    if (error instanceof SessionTokenError) throw error.reason === 'expired' ? expiredToken() : unrecognizedClient();
    throw error;
  }
  // The admin account lives in the Worker's configuration, never in the directory.
  const account = claims.accountId === readConfig(env).adminAccountId ? { playground: false } : await accountDirectory(env).getAccount(claims.accountId);
  if (!account) throw unrecognizedClient();
  return { accountId: claims.accountId, secret: claims.secretAccessKey, isAdmin: false, playground: account.playground, principal: sessionPrincipal(claims) };
}
