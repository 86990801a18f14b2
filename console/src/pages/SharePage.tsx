// A share's page (/s/<token>): a read-only view of the snapshot anyone with the link may open
// without signing in (code, configuration with variable names only, test events, invocations
// with their log lines, REPORT and cost), and Fork, which copies it into a new sandbox.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { getShare, type ShareSnapshot } from '../aws/shares';
import { ErrorBanner } from '../components/ErrorBanner';
import { retryWhen } from '../components/TryItNow';
import { PlaygroundRefusal } from '../aws/playground';
import { forkShare, type ForkPhase } from '../playground/fork';
import { parseReport } from '../logs/log-line';
import { formatDate, formatMs } from '../format';
import { CostView } from './function/test-result';
import '../styles/test.css';
import '../styles/shares.css';

function forkPhaseText(phase: ForkPhase): string {
  switch (phase.step) {
    case 'challenge': return 'Asking for a challenge…';
    case 'proof': return `Proving work in your browser: ${phase.attempts} attempts…`;
    case 'sandbox': return 'Creating your sandbox…';
    case 'function': return 'Creating the function from the share…';
    case 'test-events': return 'Saving its test events…';
  }
}

export function SharePage({ token }: { token: string }) {
  const { route } = useLocation();
  const [snapshot, setSnapshot] = useState<ShareSnapshot>();
  const [error, setError] = useState<unknown>();
  const [phase, setPhase] = useState<ForkPhase>();
  const [forkError, setForkError] = useState<unknown>();

  useEffect(() => {
    getShare(token).then(setSnapshot, setError);
  }, [token]);

  if (error) {
    return (
      <section aria-labelledby="share-title">
        <h1 id="share-title">Shared function</h1>
        <ErrorBanner error={error} />
        <p>Shares are deleted when they expire. <a href="/">Go to the start page</a>.</p>
      </section>
    );
  }
  if (!snapshot) return <p class="muted" role="status">Loading the share…</p>;

  const fork = async () => {
    setForkError(undefined);
    try {
      route(await forkShare(snapshot, setPhase));
    } catch (failure) {
      setForkError(failure);
    } finally {
      setPhase(undefined);
    }
  };
  const fn = snapshot.Function;
  return (
    <section class="share-page" aria-labelledby="share-title">
      <div class="page-head">
        <h1 id="share-title">{fn.FunctionName} <span class="share-badge">shared, read-only</span></h1>
        <span class="muted">Shared {formatDate(snapshot.CreatedAt)} · until {formatDate(snapshot.ExpiresAt)}</span>
      </div>
      <div class="card share-fork">
        <p>A snapshot of a function: nothing here can be changed. <strong>Fork</strong> copies it into a new playground sandbox of your own (its variables come with empty values: a share never carries them).</p>
        <button type="button" class="button primary" onClick={() => void fork()} disabled={phase !== undefined}>{phase ? 'Forking…' : 'Fork'}</button>
        <p class="hint" role="status" aria-live="polite">{phase ? forkPhaseText(phase) : ''}</p>
        {forkError !== undefined && (
          <>
            <ErrorBanner error={forkError} />
            {forkError instanceof PlaygroundRefusal && forkError.status === 429 && <p>Try again {forkError.retryAfterSeconds !== undefined ? retryWhen(forkError.retryAfterSeconds) : 'later'}.</p>}
          </>
        )}
      </div>

      <div class="card">
        <h2>Configuration</h2>
        <dl class="share-config">
          <dt>Runtime</dt><dd>{fn.Runtime}</dd>
          <dt>Handler</dt><dd class="mono">{fn.Handler}</dd>
          <dt>Memory</dt><dd>{fn.MemorySize} MB</dd>
          <dt>Timeout</dt><dd>{fn.Timeout} s</dd>
          <dt>Tracing</dt><dd>{fn.TracingConfig.Mode}</dd>
          {fn.Description && <><dt>Description</dt><dd>{fn.Description}</dd></>}
          <dt>Environment variables</dt>
          <dd>{fn.EnvironmentVariableNames.length === 0 ? 'none' : <>{fn.EnvironmentVariableNames.map((name) => <span key={name} class="mono share-env-name">{name}</span>)} <span class="hint">(names only: values are never shared)</span></>}</dd>
          <dt>Code SHA-256</dt><dd class="mono sha">{fn.CodeSha256}</dd>
        </dl>
      </div>

      <div class="card">
        <h2>Code</h2>
        {snapshot.Code.Files.map((file) => (
          <Fragment key={file.Path}>
            <h3 class="mono share-file">{file.Path}</h3>
            <pre class="code-block share-code" tabIndex={0} aria-label={`Code of ${file.Path}`}>{file.Content}</pre>
          </Fragment>
        ))}
        {snapshot.Code.OmittedFiles.length > 0 && <p class="hint">Not shown (not text): {snapshot.Code.OmittedFiles.map((f) => `${f.Path} (${f.Bytes} bytes)`).join(', ')}.</p>}
      </div>

      <div class="card">
        <h2>Test events</h2>
        {snapshot.TestEvents.length === 0 ? <p class="muted">None shared.</p> : snapshot.TestEvents.map((event) => (
          <Fragment key={event.Name}>
            <h3 class="mono share-file">{event.Name}</h3>
            <pre class="code-block" tabIndex={0} aria-label={`Test event ${event.Name}`}>{event.Event}</pre>
          </Fragment>
        ))}
      </div>

      <div class="card">
        <h2>Invocations</h2>
        {snapshot.Invocations.length === 0 ? <p class="muted">None shared.</p> : snapshot.Invocations.map((invocation) => {
          const reports = invocation.LogLines.map((l) => parseReport(l.Message)).filter((r) => r !== undefined && r.requestId === invocation.RequestId);
          return (
            <div class="share-invocation" key={invocation.RequestId}>
              <h3>Request <span class="mono request-id">{invocation.RequestId}</span></h3>
              {reports.map((report, i) => report && (
                <dl class="share-report" key={i} aria-label={`REPORT figures${reports.length > 1 ? ` of attempt ${i + 1}` : ''}`}>
                  <dt>Duration</dt><dd>{formatMs(report.durationMs)}</dd>
                  <dt>Billed</dt><dd>{report.billedDurationMs} ms</dd>
                  <dt>Memory</dt><dd>{report.maxMemoryUsedMb} of {report.memorySizeMb} MB</dd>
                  <dt>Init</dt><dd>{report.initDurationMs !== undefined ? formatMs(report.initDurationMs) : 'warm start'}</dd>
                  {report.status && <><dt>Status</dt><dd>{report.status}{report.errorType ? ` (${report.errorType})` : ''}</dd></>}
                </dl>
              ))}
              {invocation.Attempts.map((usage, i) => <CostView key={i} usage={usage} prices={snapshot.Prices} />)}
              <pre class="code-block invocation-log" tabIndex={0} aria-label={`Log lines of ${invocation.RequestId}`}>
                {invocation.LogLines.map((l) => (/^\d{4}-\d\d-\d\dT/.test(l.Message) ? l.Message : `${new Date(l.Timestamp).toISOString()}\t${l.Message}`)).join('\n')}
              </pre>
            </div>
          );
        })}
      </div>
    </section>
  );
}
