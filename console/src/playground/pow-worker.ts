// The proof-of-work solver's Web Worker: one challenge per message, progress and the answer posted
// back. Built as its own entry (scripts/console-build.mjs) so it loads from 'self' under the CSP.
import type { Challenge } from 'altcha-lib/types';
import { solveProofOfWork } from './pow-solve';
import type { SolverMessage } from './pow';

const scope = self as unknown as { postMessage(message: SolverMessage): void; onmessage: ((event: MessageEvent<{ challenge: Challenge }>) => void) | null };

scope.onmessage = async (event) => {
  try {
    const solution = await solveProofOfWork(event.data.challenge, (attempts) => scope.postMessage({ kind: 'progress', attempts }));
    scope.postMessage(solution ? { kind: 'solved', solution } : { kind: 'failed', message: 'The proof of work took too long.' });
  } catch (error) {
    scope.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
