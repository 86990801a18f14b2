// Temporary credentials of a role session (STS AssumeRole, a function's execution environment):
// self-contained, nothing stored. The session token is the session's claims (the secret access key
// among them) sealed under the account's data key (src/crypto/envelope.ts) with the access key id
// as authenticated context, so only faasbox can read it, a token opens only with its own key id,
// and a token of one account never opens as another's. A leaf over crypto/envelope.ts.
import { accountCipher, SealError } from '../crypto/envelope';
import type { ConfigVariables } from '../config';
import { randomChars } from '../records/random';
import { assumedRoleArn, type Principal } from './principal';

/** What a session token carries. */
export interface SessionClaims {
  accountId: string;
  roleName: string;
  roleId: string;
  /** The role's ARN with its path, as the session's AssumedRoleUser and credentials report it. */
  roleArn: string;
  sessionName: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  expiresAt: number;
  /** Made for a function whose role did not exist (src/iam/principal.ts, placeholderRole). */
  placeholderRole?: true;
}

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Why a session token is refused: not one of ours (forged, altered, another key's) or past its expiry. */
export type SessionTokenFailure = 'invalid' | 'expired';

export class SessionTokenError extends Error {
  constructor(readonly reason: SessionTokenFailure) {
    super(reason === 'expired' ? 'The security token included in the request is expired' : 'The security token included in the request is invalid.');
    this.name = 'SessionTokenError';
  }
}

/** Temporary key ids start with ASIA, as AWS's do; long-term keys with AKIA. */
export const SESSION_KEY_PREFIX = 'ASIA';
/** Token text: `FwoGZXIvYXdz`-like opaque to clients; ours is `fbxs1.<account>.<sealed>`. */
const TOKEN_PREFIX = 'fbxs1';
const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export const isSessionKeyId = (accessKeyId: string) => accessKeyId.startsWith(SESSION_KEY_PREFIX);

const context = (accessKeyId: string) => `session-token:${accessKeyId}`;

/** Fresh credentials for a session of `role`, valid for `durationSeconds` from `now`. */
export async function mintSessionCredentials(
  env: ConfigVariables,
  role: { accountId: string; roleName: string; roleId: string; roleArn: string; placeholderRole?: true },
  sessionName: string,
  durationSeconds: number,
  now = Date.now(),
): Promise<SessionCredentials> {
  const claims: SessionClaims = {
    ...role,
    sessionName,
    accessKeyId: SESSION_KEY_PREFIX + randomChars(16, KEY_ID_ALPHABET),
    secretAccessKey: randomChars(40, SECRET_ALPHABET),
    issuedAt: now,
    expiresAt: now + durationSeconds * 1000,
  };
  const sealed = await accountCipher(env, role.accountId).seal(JSON.stringify(claims), context(claims.accessKeyId));
  return {
    accessKeyId: claims.accessKeyId,
    secretAccessKey: claims.secretAccessKey,
    sessionToken: `${TOKEN_PREFIX}.${role.accountId}.${sealed}`,
    expiresAt: claims.expiresAt,
  };
}

/**
 * The claims of `token` presented with `accessKeyId`, or SessionTokenError: 'invalid' for anything
 * faasbox did not issue for that key id, 'expired' once `now` passed its expiry.
 */
export async function openSessionToken(env: ConfigVariables, token: string, accessKeyId: string, now = Date.now()): Promise<SessionClaims> {
  const match = /^fbxs1\.(\d{12})\.(.+)$/.exec(token);
  if (!match || !isSessionKeyId(accessKeyId)) throw new SessionTokenError('invalid');
  let claims: SessionClaims;
  try {
    claims = JSON.parse(await accountCipher(env, match[1]!).open(match[2]!, context(accessKeyId))) as SessionClaims;
  } catch (error) {
    if (error instanceof SealError || error instanceof SyntaxError) throw new SessionTokenError('invalid');
    throw error;
  }
  if (claims.accessKeyId !== accessKeyId || claims.accountId !== match[1]) throw new SessionTokenError('invalid');
  if (now >= claims.expiresAt) throw new SessionTokenError('expired');
  return claims;
}

/** The principal a session's requests act as. */
export function sessionPrincipal(claims: SessionClaims): Principal {
  return {
    kind: 'assumed-role',
    accountId: claims.accountId,
    arn: assumedRoleArn(claims.accountId, claims.roleName, claims.sessionName),
    roleName: claims.roleName,
    roleId: claims.roleId,
    roleArn: claims.roleArn,
    sessionName: claims.sessionName,
    expiresAt: claims.expiresAt,
    ...(claims.placeholderRole ? { placeholderRole: true as const } : {}),
  };
}
