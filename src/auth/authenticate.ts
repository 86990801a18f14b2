// Who is calling: resolves a SigV4-signed request to its account, or throws AWS's 403 shapes.
import { LambdaError } from '../errors';
import type { Caller } from '../function-names';
import { parseAuthorization, verifySignature } from './sigv4';
import { accountDirectory } from '../bindings';
import { readConfig } from '../config';

export interface AuthenticatedCaller extends Caller {
  accessKeyId: string;
  /** The local admin account (keys from .dev.vars / secrets) may manage other accounts. */
  isAdmin: boolean;
}

/**
 * Verifies the request's signature against the key's secret. The admin key comes from the
 * Worker's secrets; every other key from the AccountDirectory. `body` is the raw request body.
 */
export async function authenticate(env: Env, request: Request, body: Uint8Array): Promise<AuthenticatedCaller> {
  const auth = parseAuthorization(request.headers.get('authorization'));
  const { region } = readConfig(env);
  const { accountId, secret, isAdmin } = await resolveAccessKey(env, auth.accessKeyId);
  if (auth.region !== region) {
    throw new LambdaError(403, 'InvalidSignatureException', `Credential should be scoped to a valid region, not '${auth.region}'. `);
  }
  await verifySignature(request, body, auth, secret);
  return { accountId, region, accessKeyId: auth.accessKeyId, isAdmin };
}

/**
 * The account and secret of an access key: the admin key from the Worker's secrets, every other
 * key from the AccountDirectory. Throws AWS's 403 for an unknown key.
 */
export async function resolveAccessKey(env: Env, accessKeyId: string): Promise<{ accountId: string; secret: string; isAdmin: boolean }> {
  const { adminAccessKeyId, adminSecretAccessKey, adminAccountId } = readConfig(env);
  // readConfig refuses a key id without its secret.
  if (adminAccessKeyId && adminSecretAccessKey && accessKeyId === adminAccessKeyId) {
    return { accountId: adminAccountId, secret: adminSecretAccessKey, isAdmin: true };
  }
  const key = await accountDirectory(env).findAccessKey(accessKeyId);
  if (!key) throw invalidToken();
  return { accountId: key.accountId, secret: key.secretAccessKey, isAdmin: false };
}

export const invalidToken = () => new LambdaError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
