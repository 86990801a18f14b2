// Solving the playground's proof of work with altcha-lib's own solver and its Web Crypto key
// derivations (SHA-* and PBKDF2/*), counting attempts for a progress line. Runs in the solver's
// Web Worker (pow-worker.ts), or on the main thread when no worker can start: altcha's solver
// awaits Web Crypto at every attempt and yields every 200 ms, so the page stays responsive.
import { solveChallenge } from 'altcha-lib';
import type { Challenge, DeriveKeyFunction, Solution } from 'altcha-lib/types';
import { deriveKey as deriveSha } from 'altcha-lib/algorithms/web/sha';
import { deriveKey as derivePbkdf2 } from 'altcha-lib/algorithms/web/pbkdf2';

/** How often progress is reported, at most. */
const PROGRESS_EVERY_MS = 100;

/**
 * The solution of `challenge`, reporting the attempts made so far; null when aborted or after
 * altcha's own timeout. Throws for an algorithm the browser cannot derive keys for.
 */
export async function solveProofOfWork(challenge: Challenge, onProgress: (attempts: number) => void, controller?: AbortController): Promise<Solution | null> {
  const algorithm = challenge.parameters.algorithm;
  const derive: DeriveKeyFunction = algorithm.startsWith('PBKDF2/') ? derivePbkdf2 : deriveSha;
  let attempts = 0;
  let reportedAt = 0;
  const counting: DeriveKeyFunction = (parameters, salt, password) => {
    attempts++;
    const now = performance.now();
    if (now - reportedAt >= PROGRESS_EVERY_MS) {
      reportedAt = now;
      onProgress(attempts);
    }
    return derive(parameters, salt, password);
  };
  const solution = await solveChallenge({ challenge, deriveKey: counting, controller });
  onProgress(attempts);
  return solution;
}
