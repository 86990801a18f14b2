// The Share action of a function's page: a dialog to pick saved test events and recent
// invocations, create the share (a public read-only snapshot: variable names, never values) and
// copy its link.
import { useRef, useState } from 'preact/hooks';
import { restJson } from '../aws/client';
import type { InvocationUsage } from '../aws/invoke';
import { createShare, type CreatedShare } from '../aws/shares';
import { listTestEvents } from '../aws/test-events';
import { formatDate } from '../format';
import { ErrorBanner } from './ErrorBanner';
import '../styles/shares.css';

/** Recent invocations offered in the dialog (a share carries at most 10). */
const RECENT_INVOCATIONS = 10;

interface Choices { testEvents: string[]; invocations: InvocationUsage[] }

/** This month's usage records of the function, newest first. */
async function recentInvocations(functionName: string): Promise<InvocationUsage[]> {
  const month = new Date().toISOString().slice(0, 7);
  const page = await restJson<{ Invocations: InvocationUsage[] }>('GET', `/api/billing/invocations?FunctionName=${encodeURIComponent(functionName)}&Month=${month}&MaxItems=1000`);
  return page.Invocations.slice(-RECENT_INVOCATIONS).reverse();
}

export function ShareButton({ name }: { name: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [choices, setChoices] = useState<Choices>();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [created, setCreated] = useState<CreatedShare>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  const open = async () => {
    setCreated(undefined);
    setError(undefined);
    setPicked(new Set());
    setCopied(false);
    dialog.current?.showModal();
    try {
      const [events, invocations] = await Promise.all([listTestEvents(name), recentInvocations(name)]);
      setChoices({ testEvents: events.filter((e) => e.Event !== undefined).map((e) => e.Name), invocations });
    } catch (failure) {
      setError(failure);
    }
  };
  const toggle = (key: string) => setPicked((current) => {
    const next = new Set(current);
    if (!next.delete(key)) next.add(key);
    return next;
  });
  const share = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const keys = [...picked];
      setCreated(await createShare(name, {
        TestEvents: keys.filter((k) => k.startsWith('event:')).map((k) => k.slice(6)),
        Invocations: keys.filter((k) => k.startsWith('request:')).map((k) => k.slice(8)),
      }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const link = created ? new URL(created.Path, location.origin).toString() : '';
  return (
    <>
      <button type="button" class="button small" onClick={() => void open()}>Share</button>
      <dialog ref={dialog} class="share-dialog" aria-labelledby="share-dialog-title">
        <h2 id="share-dialog-title">Share {name}</h2>
        <p class="hint">Anyone with the link sees a read-only snapshot: the code, the configuration with the names of its environment variables (never their values), and what you pick below. It cannot be changed, and is deleted when it expires.</p>
        <ErrorBanner error={error} />
        {!created && (
          <>
            {!choices && !error && <p class="muted" role="status">Loading…</p>}
            {choices && (
              <>
                <fieldset>
                  <legend>Test events</legend>
                  {choices.testEvents.length === 0 ? <p class="muted">No saved test events.</p> : choices.testEvents.map((event) => (
                    <label key={event}><input type="checkbox" checked={picked.has(`event:${event}`)} onChange={() => toggle(`event:${event}`)} /> {event}</label>
                  ))}
                </fieldset>
                <fieldset>
                  <legend>Recent invocations (with their logs, REPORT and cost)</legend>
                  {choices.invocations.length === 0 ? <p class="muted">No invocations this month.</p> : choices.invocations.map((usage) => (
                    <label key={usage.RequestId}><input type="checkbox" checked={picked.has(`request:${usage.RequestId}`)} onChange={() => toggle(`request:${usage.RequestId}`)} /> <span class="mono">{usage.RequestId}</span> <span class="muted">{formatDate(usage.Timestamp)}</span></label>
                  ))}
                </fieldset>
              </>
            )}
          </>
        )}
        {created && (
          <>
            <p role="status">Share created; it expires {formatDate(created.ExpiresAt)}.</p>
            <div class="share-dialog-link">
              <input type="text" readOnly value={link} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} />
              <button type="button" class="button" onClick={() => void navigator.clipboard.writeText(link).then(() => setCopied(true), setError)}>{copied ? 'Copied' : 'Copy link'}</button>
            </div>
            <p><a href={created.Path} target="_blank" rel="noopener">Open the share</a></p>
          </>
        )}
        <div class="share-dialog-actions">
          {!created && <button type="button" class="button primary" disabled={!choices || busy} onClick={() => void share()}>{busy ? 'Creating…' : 'Create share'}</button>}
          <button type="button" class="button" onClick={() => dialog.current?.close()}>Close</button>
        </div>
      </dialog>
    </>
  );
}
