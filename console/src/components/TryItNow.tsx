// The "Try it now" button: one click to a sandbox signed in on hello-world's Test tab, with the
// progress of each step (the proof of work counts its attempts) and, when refused, the API's own
// words and what to do about them.
import { useId, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError } from '../aws/client';
import { PlaygroundRefusal } from '../aws/playground';
import { SandboxCreatedButNot, tryItNow, type TryItNowPhase } from '../playground/sandbox-session';
import { ErrorBanner } from './ErrorBanner';

const attemptsFormat = new Intl.NumberFormat('en-US');

function phaseText(phase: TryItNowPhase): string {
  switch (phase.step) {
    case 'challenge': return 'Asking for a challenge…';
    case 'proof': return `Proving work in your browser: ${attemptsFormat.format(phase.attempts)} attempts…`;
    case 'sandbox': return 'Creating your sandbox…';
    case 'function': return `Creating ${phase.functionName} from its blueprint…`;
  }
}

/** "in 42 seconds", "in 3 minutes", "in 2 hours" (rounded up). */
export function retryWhen(seconds: number): string {
  if (seconds < 90) return `in ${Math.ceil(seconds)} second${Math.ceil(seconds) === 1 ? '' : 's'}`;
  if (seconds < 90 * 60) return `in ${Math.ceil(seconds / 60)} minutes`;
  return `in ${Math.ceil(seconds / 3600)} hours`;
}

/** What to do after a refusal, by its status. */
function advice(error: unknown): string {
  if (error instanceof SandboxCreatedButNot) return `Your sandbox exists, but ${error.functionName} could not be created: open the console and create it from the Create function page.`;
  if (!(error instanceof ApiError)) return 'Check your connection and press Try it now again.';
  if (error.status === 429) {
    const when = error instanceof PlaygroundRefusal && error.retryAfterSeconds !== undefined ? retryWhen(error.retryAfterSeconds) : 'later';
    return `Try again ${when}. When the limit is on live sandboxes, ending one you no longer need (End sandbox now, in its header) frees its place.`;
  }
  if (error.status === 503) return 'The playground is switched off on this deployment for now. Try again later, or sign in with an account\'s access keys.';
  if (error.status === 400) return 'Press Try it now again: the page asks for a fresh challenge and proves the work again.';
  return 'Press Try it now again; if it keeps failing, the server\'s message above says why.';
}

export function TryItNow({ label = 'Try it now' }: { label?: string }) {
  const { route } = useLocation();
  const [phase, setPhase] = useState<TryItNowPhase>();
  const [error, setError] = useState<unknown>();
  const start = async () => {
    setError(undefined);
    try {
      route(await tryItNow(setPhase));
    } catch (failure) {
      setError(failure);
    } finally {
      setPhase(undefined);
    }
  };
  const busy = phase !== undefined;
  const statusId = useId();
  return (
    <div class="try-it-now">
      <button type="button" class="button primary try-it-now-button" onClick={() => void start()} disabled={busy} aria-describedby={statusId}>{busy ? 'Starting your sandbox…' : label}</button>
      <p id={statusId} class="hint" role="status" aria-live="polite">
        {phase ? phaseText(phase) : 'A sandbox of your own in one click: no account, no sign-up. It ends when left idle or at its time limit (its header counts down), and then everything in it is deleted.'}
      </p>
      {busy && <progress class="try-it-now-progress" aria-label="Starting your sandbox" />}
      {error !== undefined && (
        <div class="try-it-now-error">
          <ErrorBanner error={error instanceof SandboxCreatedButNot ? error.cause : error} />
          <p>{advice(error)}</p>
          {error instanceof SandboxCreatedButNot && <a class="button" href="/console/create">Open Create function</a>}
        </div>
      )}
    </div>
  );
}
