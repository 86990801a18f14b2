// Playground sandbox operations: create one (kill switch, proof of work, Turnstile, creation limits,
// then an ordinary account flagged as a sandbox), resume and end a session, a sandbox's status, the
// admin's list and end, the sweep, and ending an account when its time is up (docs/PLAYGROUND.md).
import { accountDirectory, playgroundRegistry } from '../../bindings';
import { readConfig } from '../../config';
import { LambdaError } from '../../errors';
import { clientAddressHash } from '../../playground/client-address';
import { createProofChallenge, verifyProof } from '../../playground/proof-of-work';
import { newSessionToken, sessionTokenHash, sessionTokenOf } from '../../playground/session';
import { verifyTurnstileToken } from '../../playground/turnstile';
import type { CreationLimit, SandboxRecord } from '../../records/playground';
import { deleteAccountContents } from '../accounts';
import { initialiseSandbox } from './quotas';
import { createReadyRole } from '../iam/ready-role';

/** A sandbox with the keys that sign its requests: what creation and a resumed session answer. */
export interface SandboxSession {
  sandbox: SandboxRecord;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

const invalidRequest = (message: string) => new LambdaError(400, 'InvalidRequestException', message);
const unavailable = (message: string) => new LambdaError(503, 'ServiceUnavailableException', message);
export const notASandbox = () => new LambdaError(404, 'ResourceNotFoundException', 'This account is not a playground sandbox.');

/** Each creation limit's refusal, naming the limit and when to retry. */
const LIMIT_MESSAGES: Record<CreationLimit, (allowed: number, seconds: number) => string> = {
  'live-per-address': (n, s) => `Playground limit: at most ${n} live sandboxes per client address. Retry in ${s} seconds, when the first of yours ends (or end one).`,
  'daily-per-address': (n, s) => `Playground limit: at most ${n} sandboxes created per client address per UTC day. Retry in ${s} seconds, after midnight UTC.`,
  'burst-per-address': (n, s) => `Playground limit: at most ${n} sandboxes created per client address within a minute. Retry in ${s} seconds.`,
  'live-max': (n, s) => `Playground limit: at most ${n} live sandboxes on this deployment. Retry in ${s} seconds, when the next one ends.`,
};

/** The root key the playground's keys derive from; creating sandboxes needs it. */
function rootKey(env: Env): string {
  const key = readConfig(env).encryptionKey;
  if (key === undefined) throw unavailable('The playground needs FAASBOX_ENCRYPTION_KEY (a Worker secret): no sandbox can be created until it is set.');
  return key;
}

/** The kill switch (FAASBOX_PLAYGROUND=off) refuses creation first of all. */
function assertPlaygroundOn(env: Env): void {
  if (!readConfig(env).playgroundEnabled) {
    throw unavailable('The playground is turned off on this deployment (FAASBOX_PLAYGROUND=off): no new sandbox can be created now. Sandboxes already running keep running until they end.');
  }
}

/** A new proof-of-work challenge (GET /api/playground/challenge); 503 while the kill switch is off. */
export async function proofChallenge(env: Env, nowMs: number) {
  assertPlaygroundOn(env);
  return createProofChallenge(rootKey(env), readConfig(env).playgroundPowCost, nowMs);
}

/**
 * Creates a sandbox for a client at `address`, in order: the kill switch (503), the proof of work
 * and the Turnstile token when a secret is set (400), the creation limits (429, with Retry-After),
 * then an account flagged as a playground sandbox with its quotas, registered with a new session
 * token (returned: the caller sets it as the cookie; only its hash is kept).
 */
export async function createSandbox(
  env: Env,
  request: { proof: unknown; turnstileToken: unknown; address: string | undefined },
  nowMs: number,
): Promise<SandboxSession & { sessionToken: string }> {
  assertPlaygroundOn(env);
  const root = rootKey(env);
  if (typeof request.proof !== 'string' || request.proof === '') {
    throw invalidRequest('Proof is required: solve the challenge of GET /api/playground/challenge and send its altcha payload.');
  }
  const verified = await verifyProof(root, request.proof);
  if (!verified.ok) throw invalidRequest(verified.reason);
  const { turnstileSecret } = readConfig(env);
  if (turnstileSecret !== undefined) {
    if (typeof request.turnstileToken !== 'string' || request.turnstileToken === '') throw invalidRequest('TurnstileToken is required on this deployment.');
    if (!(await verifyTurnstileToken(turnstileSecret, request.turnstileToken, request.address))) throw invalidRequest('The Turnstile token was not accepted: try the check again.');
  }

  const addressHash = await clientAddressHash(root, request.address);
  const registry = playgroundRegistry(env);
  const config = readConfig(env);
  const limits = {
    livePerAddress: config.playgroundLivePerAddress, dailyPerAddress: config.playgroundDailyPerAddress,
    burstPerAddress: config.playgroundBurstPerAddress, liveMax: config.playgroundLiveMax,
  };
  const admission = await registry.admit(verified.proof, addressHash, limits, nowMs);
  if (!admission.ok) {
    if (admission.error === 'proof-used') throw invalidRequest('This proof of work was already used: get a new challenge.');
    throw new LambdaError(429, 'TooManyRequestsException', LIMIT_MESSAGES[admission.limit](admission.allowed, admission.retryAfterSeconds), {
      headers: { 'Retry-After': String(admission.retryAfterSeconds) },
    });
  }

  let accountId: string | undefined;
  try {
    const { account, key } = await accountDirectory(env).createAccount('playground', { playground: true });
    accountId = account.accountId;
    await initialiseSandbox(env, accountId);
    // The role the console's blueprints name, as npm start makes it locally.
    await createReadyRole(env, accountId);
    const sessionToken = newSessionToken();
    const sandbox = await registry.register(admission.value.ticket, {
      accountId, accessKeyId: key.accessKeyId, sessionHash: await sessionTokenHash(sessionToken), addressHash,
    }, nowMs);
    return { sandbox, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey!, region: readConfig(env).region, sessionToken };
  } catch (error) {
    // Nothing half made stays: the place is given back and the account, if any, deleted.
    await registry.release(admission.value.ticket);
    if (accountId !== undefined) await endSandboxAccount(env, accountId);
    throw error;
  }
}

/** The live sandbox of the session cookie in `cookieHeader`, with its keys; 404 when there is none. Counts as activity. */
export async function resumeSession(env: Env, cookieHeader: string | undefined, nowMs: number): Promise<SandboxSession> {
  const sandbox = await sessionSandbox(env, cookieHeader, nowMs);
  const key = sandbox && (await accountDirectory(env).findAccessKey(sandbox.accessKeyId));
  if (!sandbox || !key) throw new LambdaError(404, 'ResourceNotFoundException', 'There is no live playground sandbox for this session: create a new one.');
  await playgroundRegistry(env).recordActivity(sandbox.accountId, nowMs);
  return { sandbox, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, region: readConfig(env).region };
}

/** Ends the session cookie's sandbox now; nothing to do when it has none (already ended). */
export async function endSession(env: Env, cookieHeader: string | undefined, nowMs: number): Promise<void> {
  const sandbox = await sessionSandbox(env, cookieHeader, nowMs);
  if (sandbox) await playgroundRegistry(env).endSandbox(sandbox.accountId);
}

async function sessionSandbox(env: Env, cookieHeader: string | undefined, nowMs: number): Promise<SandboxRecord | undefined> {
  const token = sessionTokenOf(cookieHeader);
  return token === undefined ? undefined : playgroundRegistry(env).sessionSandbox(await sessionTokenHash(token), nowMs);
}

/** The live sandbox of account `accountId` (GET /api/sandbox); 404 for an account that is none. */
export async function sandboxStatus(env: Env, accountId: string, nowMs: number): Promise<SandboxRecord> {
  const sandbox = await playgroundRegistry(env).sandbox(accountId, nowMs);
  if (!sandbox) throw notASandbox();
  return sandbox;
}

/** Every live sandbox (the admin API). */
export function listSandboxes(env: Env, nowMs: number): Promise<SandboxRecord[]> {
  return playgroundRegistry(env).listSandboxes(nowMs);
}

/** Ends sandbox `accountId` now (the admin API): false when there is no such sandbox. */
export function endSandbox(env: Env, accountId: string): Promise<boolean> {
  return playgroundRegistry(env).endSandbox(accountId);
}

/** The every-minute sweep: ends every sandbox already due, whose alarm may have been lost. */
export async function sweepSandboxes(env: Env, nowMs: number): Promise<void> {
  await playgroundRegistry(env).endDue(nowMs);
}

/**
 * Deletes a sandbox's account with everything it owns (keys first, so it stops at once). The
 * registry runs it at the sandbox's end and again after a failure: the directory step may already
 * be done, the rest is run every time.
 */
export async function endSandboxAccount(env: Env, accountId: string): Promise<void> {
  await accountDirectory(env).deleteAccount(accountId);
  await deleteAccountContents(env, accountId);
}
