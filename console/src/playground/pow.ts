// The proof of work of "Try it now", solved off the main thread: a module Web Worker from this
// origin (the CSP's script-src 'self' covers workers; Trusted Types wants its URL through a
// policy that admits exactly that one file), or on the main thread in small async steps when the
// worker cannot start. Progress is the number of attempts so far.
import type { Challenge, Solution } from 'altcha-lib/types';

/** What the worker posts back. */
export type SolverMessage =
  | { kind: 'progress'; attempts: number }
  | { kind: 'solved'; solution: Solution }
  | { kind: 'failed'; message: string };

/** The worker's hashed path, set by scripts/console-build.mjs at build time. */
declare const FAASBOX_POW_WORKER_PATH: string;

interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown };
}

let workerUrl: unknown;
/** The worker's URL as Trusted Types accepts it (a policy that refuses every other URL). */
function trustedWorkerUrl(): unknown {
  if (workerUrl !== undefined) return workerUrl;
  const path = FAASBOX_POW_WORKER_PATH;
  const trustedTypes = (window as unknown as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  workerUrl = trustedTypes
    ? trustedTypes.createPolicy('faasbox-pow-worker', {
      createScriptURL: (url) => {
        if (url !== path) throw new TypeError(`Not the proof-of-work worker: ${url}`);
        return url;
      },
    }).createScriptURL(path)
    : path;
  return workerUrl;
}

function solveInWorker(challenge: Challenge, onProgress: (attempts: number) => void): Promise<Solution> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(trustedWorkerUrl() as string, { type: 'module', name: 'proof of work' });
    } catch {
      return reject(new WorkerUnavailable());
    }
    worker.onmessage = (event: MessageEvent<SolverMessage>) => {
      const message = event.data;
      if (message.kind === 'progress') return onProgress(message.attempts);
      worker.terminate();
      if (message.kind === 'solved') resolve(message.solution);
      else reject(new Error(message.message));
    };
    // A worker that cannot load (an old browser, a blocked script) fails here, before any message.
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new WorkerUnavailable());
    };
    worker.postMessage({ challenge });
  });
}

class WorkerUnavailable extends Error {}

/** altcha's payload for `challenge` solved by `solution`: base64 of their JSON, as its widget sends it. */
export function proofPayload(challenge: Challenge, solution: Solution): string {
  return btoa(JSON.stringify({ challenge, solution }));
}

/** The altcha payload proving work on `challenge`. */
export async function proveWork(challenge: Challenge, onProgress: (attempts: number) => void): Promise<string> {
  let solution: Solution | null;
  try {
    solution = await solveInWorker(challenge, onProgress);
  } catch (error) {
    if (!(error instanceof WorkerUnavailable)) throw error;
    // Loaded only here: with a worker, altcha's code never reaches the page itself.
    const { solveProofOfWork } = await import('./pow-solve');
    solution = await solveProofOfWork(challenge, onProgress);
  }
  if (!solution) throw new Error('The proof of work took too long.');
  return proofPayload(challenge, solution);
}
