// The proof of work in front of sandbox creation (altcha-lib 2.8.0, its v2 challenges): the server
// picks a random counter up to FAASBOX_PLAYGROUND_POW_COST and signs the SHA-256 key it leads to; the
// browser tries counters from 0 until it finds that key (about half the cost in hashes on average),
// and verification is one HMAC. Both signing keys are derived from the root key (secrets.ts).
import { createChallenge, randomInt, verifySolution, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/sha';
import { playgroundSecret, toHex } from './secrets';

/** How long a challenge may be solved and submitted, in seconds. */
export const PROOF_CHALLENGE_TTL_SECONDS = 300;
/** One SHA-256 per counter tried: the difficulty is the counter's range, not the rounds per try. */
const ROUNDS_PER_TRY = 1;

async function signingSecrets(rootKeyBase64: string) {
  const [challenge, key] = await Promise.all([
    playgroundSecret(rootKeyBase64, 'proof of work challenge signature'),
    playgroundSecret(rootKeyBase64, 'proof of work key signature'),
  ]);
  return { hmacSignatureSecret: toHex(challenge), hmacKeySignatureSecret: toHex(key) };
}

/** A new signed challenge whose counter is at most `cost`, valid for PROOF_CHALLENGE_TTL_SECONDS from `nowMs`. */
export async function createProofChallenge(rootKeyBase64: string, cost: number, nowMs: number): Promise<Challenge> {
  return createChallenge({
    algorithm: 'SHA-256',
    cost: ROUNDS_PER_TRY,
    counter: randomInt(cost, 0),
    deriveKey,
    expiresAt: Math.floor(nowMs / 1000) + PROOF_CHALLENGE_TTL_SECONDS,
    ...(await signingSecrets(rootKeyBase64)),
  });
}

/** A verified proof: its id (the challenge's signed nonce) and until when it could be used, for replay refusal. */
export interface VerifiedProof {
  proofId: string;
  expiresAtMs: number;
}

/**
 * The proof `payload` carries (altcha's payload: base64 of JSON `{ challenge, solution }`), or why it
 * is refused: unreadable, expired, altered, or not solved. Whether it was used before is the
 * registry's to say.
 */
export async function verifyProof(rootKeyBase64: string, payload: string): Promise<{ ok: true; proof: VerifiedProof } | { ok: false; reason: string }> {
  const parsed = parsePayload(payload);
  if (!parsed) return { ok: false, reason: 'The proof of work is not an altcha payload (base64 of JSON with challenge and solution).' };
  const { challenge, solution } = parsed;
  if (typeof challenge.parameters.expiresAt !== 'number') return { ok: false, reason: 'The proof of work has no expiry: get a new challenge.' };
  let result;
  try {
    result = await verifySolution({ challenge, solution, deriveKey, ...(await signingSecrets(rootKeyBase64)) });
  } catch {
    return { ok: false, reason: 'The proof of work is malformed.' };
  }
  if (result.expired) return { ok: false, reason: 'The proof of work expired: get a new challenge.' };
  if (!result.verified) return { ok: false, reason: 'The proof of work is wrong: its challenge was altered or its solution does not solve it.' };
  return { ok: true, proof: { proofId: challenge.parameters.nonce, expiresAtMs: challenge.parameters.expiresAt * 1000 } };
}

function parsePayload(payload: string): { challenge: Challenge; solution: { counter: number; derivedKey: string } } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(atob(payload));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { challenge, solution } = value as { challenge?: unknown; solution?: unknown };
  if (typeof challenge !== 'object' || challenge === null || typeof solution !== 'object' || solution === null) return undefined;
  const parameters = (challenge as { parameters?: unknown }).parameters;
  if (typeof parameters !== 'object' || parameters === null || typeof (parameters as { nonce?: unknown }).nonce !== 'string') return undefined;
  return value as { challenge: Challenge; solution: { counter: number; derivedKey: string } };
}
