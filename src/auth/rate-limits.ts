// Rate limits of the signed APIs: one token bucket of requests per access key and per source
// address, and one of failed authentications for each, and a playground sandbox key's own bucket
// of API calls a minute; the buckets live in ApiRateLimiter objects.
import { apiRateLimiter } from '../bindings';
import { readConfig } from '../config';
import type { AdmitOutcome } from '../records/rate-limits';
import { clientAddress } from './client-address';
import { SignedRequestError } from './sigv4';
import { quotaMessage } from '../playground/quota-messages';

/** A request refused by a rate limit; each API renders it in its own throttling shape. */
export class ThrottledError extends Error {
  /** `message`: what the caller is told (a playground quota names itself). */
  constructor(readonly retryAfterSeconds: number, message = 'Rate exceeded') {
    super(message);
  }
}

/** The key id a request claims (`Credential=<id>/...`), unverified: only failures are counted by it before authentication. */
const CLAIMED_KEY_ID = /Credential=([^/,\s]{1,128})\//;

/** Who a request is, for its limits: its source address and the key id it claims. */
export interface RateSubjects {
  address: string | undefined;
  claimedKeyId: string | undefined;
}

export function rateSubjects(request: Request): RateSubjects {
  return { address: clientAddress(request), claimedKeyId: CLAIMED_KEY_ID.exec(request.headers.get('authorization') ?? '')?.[1] };
}

function rates(env: Env) {
  const config = readConfig(env);
  return {
    key: { perSecond: config.apiRatePerKeyPerSecond, burst: config.apiBurstPerKey },
    address: { perSecond: config.apiRatePerAddressPerSecond, burst: config.apiBurstPerAddress },
    failures: { perSecond: config.authFailuresPerMinute / 60, burst: config.authFailureBurst },
  };
}

/**
 * Before authentication, and so before the key lookup and the signature check: one token of the
 * address's and of the claimed key's request budgets, refused while either's failure budget is
 * empty. A request that then fails authentication gives the key's token back (settleRefused):
 * anyone can claim any key id. Throws ThrottledError.
 */
export async function admitRequest(env: Env, subjects: RateSubjects): Promise<void> {
  const { key, address, failures } = rates(env);
  const checks: Promise<AdmitOutcome>[] = [];
  if (subjects.address && (address.perSecond > 0 || failures.perSecond > 0)) {
    checks.push(apiRateLimiter(env, `address:${subjects.address}`).admit({ requests: address, failures }));
  }
  if (subjects.claimedKeyId && (key.perSecond > 0 || failures.perSecond > 0)) {
    checks.push(apiRateLimiter(env, `key:${subjects.claimedKeyId}`).admit({ requests: key, failures }));
  }
  throwIfThrottled(await Promise.all(checks));
}

/**
 * After authentication: the proven key's request budget when it is not the key id admitRequest
 * charged (a header the claim pattern read otherwise than the signature check), and a playground
 * sandbox key's (`playground`) FAASBOX_PLAYGROUND_API_CALLS_PER_MINUTE. Throws ThrottledError.
 */
export async function admitAuthenticated(env: Env, subjects: RateSubjects, accessKeyId: string, playground = false): Promise<void> {
  if (playground) await admitSandboxKey(env, accessKeyId);
  const { key } = rates(env);
  if (accessKeyId === subjects.claimedKeyId || key.perSecond <= 0) return;
  throwIfThrottled([await apiRateLimiter(env, `key:${accessKeyId}`).admit({ requests: key })]);
}

/** One of a sandbox key's API calls a minute (a bucket of that many, refilled over a minute); throws ThrottledError naming the quota. */
async function admitSandboxKey(env: Env, accessKeyId: string): Promise<void> {
  const config = readConfig(env);
  const perMinute = config.playgroundApiCallsPerMinute;
  const outcome = await apiRateLimiter(env, `sandbox-key:${accessKeyId}`).admit({ requests: { perSecond: perMinute / 60, burst: perMinute } });
  if (!outcome.admitted) throw new ThrottledError(outcome.retryAfterSeconds, quotaMessage(config, 'api-calls-per-minute'));
}

/** A refusal that cost a key lookup or a signature check (unknown key id, bad signature or scope): counted. */
export function isCountedFailure(error: SignedRequestError): boolean {
  return error.code === 'UnrecognizedClientException' || error.code === 'InvalidSignatureException';
}

/** After a failed authentication: the claimed key's request token back, and a counted failure against the address and the key id. */
export async function settleRefused(env: Env, subjects: RateSubjects, error: SignedRequestError): Promise<void> {
  const { key, failures } = rates(env);
  const failure = isCountedFailure(error) ? failures : undefined;
  const settled: Promise<void>[] = [];
  if (subjects.claimedKeyId) settled.push(apiRateLimiter(env, `key:${subjects.claimedKeyId}`).settleRefused({ refund: key, failure }));
  if (subjects.address && failure) settled.push(apiRateLimiter(env, `address:${subjects.address}`).settleRefused({ failure }));
  await Promise.all(settled);
}

function throwIfThrottled(outcomes: AdmitOutcome[]): void {
  const waits = outcomes.flatMap((o) => (o.admitted ? [] : [o.retryAfterSeconds]));
  if (waits.length > 0) throw new ThrottledError(Math.max(...waits));
}
