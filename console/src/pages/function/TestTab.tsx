// The function page's Test tab: an event (saved per function by faasbox, started from a template,
// or unsaved and kept for this browser session), Test as RequestResponse or Event (Ctrl/Cmd+Enter),
// and the result panel: outcome, response, REPORT summary, cost, log output, links onward.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { FunctionTabProps } from './tab-props';
import { ApiError } from '../../aws/client';
import { awaitInvocationUsage, billingPrices, invoke, rememberResult, type Invocation, type InvocationType, type InvocationUsage, type Prices } from '../../aws/invoke';
import { deleteTestEvent, listTestEvents, saveTestEvent, type SavedTestEvent } from '../../aws/test-events';
import { accountOfArn } from '../../aws/lambda';
import { awsCli } from '../../cli';
import { CliHint } from '../../components/CliHint';
import { ErrorBanner } from '../../components/ErrorBanner';
import { region } from '../../session';
import { reportOfLog } from '../../logs/log-line';
import { invocationHref } from '../../logs/RequestIdLink';
import { EVENT_TEMPLATES, templateEventJson } from './test-templates';
import { CostView, LogOutputView, OutcomeView, SummaryView, prettyJson } from './test-result';
import { markRuntimeError, runtimeErrorMarks, type FunctionErrorShape } from '../../editor/runtime-error';
import '../../styles/test.css';

/** Saved events a function may have, as Lambda's console allows. */
const MAX_SAVED_EVENTS = 10;
const NEW_EVENT = '';
/** What the saved-events API accepts as a name (docs/TEST-EVENTS.md). */
const EVENT_NAME = /^[A-Za-z0-9._-]{1,25}$/;

interface Draft { text: string; name: string; selected: string; type: InvocationType }

const draftKey = (functionName: string) => `faasbox.test-draft.${functionName}`;

function loadDraft(functionName: string, fallback: () => string): Draft {
  try {
    const saved = sessionStorage.getItem(draftKey(functionName));
    if (saved) return JSON.parse(saved) as Draft;
  } catch {
    // A draft that does not parse is dropped.
  }
  return { text: fallback(), name: '', selected: NEW_EVENT, type: 'RequestResponse' };
}

type Outcome =
  | { kind: 'result'; invocation: Invocation; usage?: InvocationUsage; prices?: Prices; costError?: unknown }
  | { kind: 'refused'; error: unknown };

function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export function TestTab({ name, details }: FunctionTabProps) {
  const config = details.Configuration;
  const context = { functionName: name, accountId: accountOfArn(config.FunctionArn), region };
  const [draft, setDraft] = useState<Draft>(() => loadDraft(name, () => templateEventJson(EVENT_TEMPLATES[0], context)));
  const [saved, setSaved] = useState<SavedTestEvent[]>([]);
  const [savedError, setSavedError] = useState<unknown>();
  const [saveMessage, setSaveMessage] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();
  const [running, setRunning] = useState(false);
  const resultRef = useRef<HTMLElement>(null);

  // The unsaved event lives for this browser session (sessionStorage), per function.
  useEffect(() => { sessionStorage.setItem(draftKey(name), JSON.stringify(draft)); }, [name, draft]);
  const update = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));

  const loadSaved = useCallback(async () => {
    try {
      setSaved(await listTestEvents(name));
      setSavedError(undefined);
    } catch (error) {
      setSavedError(error);
    }
  }, [name]);
  useEffect(() => { void loadSaved(); }, [loadSaved]);

  const problem = jsonProblem(draft.text);
  const nameProblem = draft.name && !EVENT_NAME.test(draft.name) ? 'An event name is 1 to 25 letters, digits, dots, hyphens or underscores.' : undefined;
  const isSavedName = saved.some((e) => e.Name === draft.name);
  const full = saved.length >= MAX_SAVED_EVENTS && !isSavedName;

  const test = useCallback(async () => {
    if (running || jsonProblem(draft.text)) return;
    setRunning(true);
    setOutcome(undefined);
    try {
      const invocation = await invoke(name, draft.text, draft.type);
      rememberResult({ functionName: name, invokedAtMs: Date.now(), invocation });
      // The Code tab marks the line a runtime error names (syntax, import), and clears it on success.
      if (invocation.type === 'RequestResponse') markRuntimeError(name, invocation.functionError ? functionErrorOf(invocation.payload) : undefined);
      setOutcome({ kind: 'result', invocation });
      // The cost is recorded just after the response: fetch it without holding the result back.
      if (invocation.type === 'RequestResponse') {
        Promise.all([awaitInvocationUsage(invocation.requestId), billingPrices()])
          .then(([records, prices]) => setOutcome((o) => (o?.kind === 'result' && o.invocation === invocation ? { ...o, usage: records[records.length - 1], prices } : o)))
          .catch((costError) => setOutcome((o) => (o?.kind === 'result' && o.invocation === invocation ? { ...o, costError } : o)));
      }
    } catch (error) {
      setOutcome({ kind: 'refused', error });
    } finally {
      setRunning(false);
      resultRef.current?.scrollIntoView({ block: 'nearest' });
    }
  }, [name, draft, running]);

  // Ctrl+Enter (Cmd+Enter on a Mac) runs Test from anywhere on the tab.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void test();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [test]);

  const save = async () => {
    setSaveMessage(undefined);
    try {
      await saveTestEvent(name, draft.name, draft.text);
      update({ selected: draft.name });
      setSaveMessage(`Saved “${draft.name}”.`);
      setSavedError(undefined);
      await loadSaved();
    } catch (error) {
      setSavedError(error);
    }
  };
  const remove = async () => {
    setSaveMessage(undefined);
    try {
      await deleteTestEvent(name, draft.selected);
      setSaveMessage(`Deleted “${draft.selected}”.`);
      update({ selected: NEW_EVENT, name: '' });
      await loadSaved();
    } catch (error) {
      setSavedError(error);
    }
  };
  const select = (value: string) => {
    const event = saved.find((e) => e.Name === value);
    setSaveMessage(undefined);
    setSavedError(event?.Error ? new ApiError(403, event.Error.ErrorCode, event.Error.Message) : undefined);
    update(event ? { selected: value, name: event.Name, ...(event.Event !== undefined ? { text: prettyJson(event.Event) } : {}) } : { selected: NEW_EVENT, name: '' });
  };
  const applyTemplate = (id: string) => {
    const template = EVENT_TEMPLATES.find((t) => t.id === id);
    if (template) update({ text: templateEventJson(template, context), selected: NEW_EVENT, name: draft.selected ? '' : draft.name || template.id });
  };

  const cliArgs = ['--function-name', name, '--cli-binary-format', 'raw-in-base64-out', '--payload', compactOrSame(draft.text), ...(draft.type === 'Event' ? ['--invocation-type', 'Event'] : ['--log-type', 'Tail']), 'response.json'];
  return (
    <div class="test-tab">
      <section class="test-event" aria-labelledby="test-event-title">
        <h2 id="test-event-title">Test event</h2>
        <div class="test-pickers">
          <label>Saved event
            <select value={draft.selected} onChange={(e) => select(e.currentTarget.value)}>
              <option value={NEW_EVENT}>New event (unsaved)</option>
              {saved.map((e) => <option key={e.Name} value={e.Name}>{e.Name}</option>)}
            </select>
          </label>
          <label>Template
            <select value="" onChange={(e) => { applyTemplate(e.currentTarget.value); e.currentTarget.value = ''; }}>
              <option value="">Start from a template…</option>
              {EVENT_TEMPLATES.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
            </select>
          </label>
          <label>Event name
            <input value={draft.name} maxLength={25} placeholder="my-event" aria-invalid={nameProblem !== undefined} onInput={(e) => update({ name: e.currentTarget.value })} />
          </label>
        </div>
        <label class="test-json-label">Event JSON
          <textarea class="test-json" spellcheck={false} rows={16} value={draft.text} aria-invalid={problem !== undefined} aria-describedby="test-json-problem" onInput={(e) => update({ text: e.currentTarget.value })} />
        </label>
        <p id="test-json-problem" class={problem ? 'test-json-problem' : 'hint'}>{problem ? `Not valid JSON: ${problem}` : `${saved.length} of ${MAX_SAVED_EVENTS} saved events. Saved events are kept by faasbox for this function; an unsaved event is kept for this browser session.`}</p>
        <fieldset class="test-type">
          <legend>Invocation type</legend>
          <div class="test-type-options">
          <label class="inline"><input type="radio" name="invocation-type" checked={draft.type === 'RequestResponse'} onChange={() => update({ type: 'RequestResponse' })} /> Synchronous (RequestResponse)</label>
          <label class="inline"><input type="radio" name="invocation-type" checked={draft.type === 'Event'} onChange={() => update({ type: 'Event' })} /> Asynchronous (Event)</label>
          </div>
        </fieldset>
        <div class="test-actions">
          <button type="button" class="button primary" disabled={running || problem !== undefined} onClick={() => void test()} aria-keyshortcuts="Control+Enter Meta+Enter">{running ? 'Testing…' : 'Test'}</button>
          <button type="button" class="button" disabled={!draft.name || problem !== undefined || nameProblem !== undefined || full} onClick={() => void save()}>Save</button>
          {draft.selected !== NEW_EVENT && <button type="button" class="button danger" onClick={() => void remove()}>Delete</button>}
          <span class="hint"><kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs Test{full ? ` · ${MAX_SAVED_EVENTS} events saved: delete one to save another` : ''}</span>
        </div>
        {nameProblem && <p class="test-json-problem">{nameProblem}</p>}
        {saveMessage && <p class="banner ok" role="status">{saveMessage}</p>}
        {savedError !== undefined && <ErrorBanner error={savedError} />}
        <CliHint command={awsCli('lambda', 'invoke', cliArgs)} />
      </section>
      <section class="test-result" ref={resultRef} aria-labelledby="test-result-title" aria-busy={running}>
        <h2 id="test-result-title">Execution result</h2>
        {running && <p class="muted" role="status">Invoking {name}…</p>}
        {!running && !outcome && <p class="empty muted">Press <strong>Test</strong> to invoke {name} with the event; the result, its summary, cost and logs show here.</p>}
        {outcome?.kind === 'refused' && <RefusedView error={outcome.error} />}
        {outcome?.kind === 'result' && <ResultView outcome={outcome} functionName={name} codeSha256={config.CodeSha256} traced={config.TracingConfig?.Mode === 'Active'} />}
      </section>
    </div>
  );
}

/** An API refusal (a 429 throttle, a validation error) as the API worded it, with its status. */
function RefusedView({ error }: { error: unknown }) {
  return (
    <>
      <ErrorBanner error={error} />
      {error instanceof ApiError && <p class="muted">HTTP {error.status}: the function did not run.{error.status === 429 ? ' Throttled requests are not billed and not retried by the console.' : ''}</p>}
    </>
  );
}

/** The function error of a payload ({errorType, errorMessage, trace}), if it is one. */
function functionErrorOf(payload: string): FunctionErrorShape | undefined {
  try {
    const error = JSON.parse(payload) as Partial<FunctionErrorShape>;
    return typeof error.errorType === 'string' ? { errorType: error.errorType, errorMessage: String(error.errorMessage ?? ''), trace: Array.isArray(error.trace) ? error.trace.map(String) : undefined } : undefined;
  } catch {
    return undefined;
  }
}

function ResultView({ outcome, functionName, codeSha256, traced }: { outcome: Extract<Outcome, { kind: 'result' }>; functionName: string; codeSha256: string; traced: boolean }) {
  const { invocation } = outcome;
  const page = invocationHref(invocation.requestId, functionName);
  if (invocation.type === 'Event') {
    return (
      <>
        <OutcomeView invocation={invocation} functionName={functionName} />
        <p><a href={page}>Open the invocation page</a> for its log lines, cost{traced ? ' and trace' : ''} once it has run.</p>
      </>
    );
  }
  const report = reportOfLog(invocation.logTail);
  const mark = invocation.functionError ? runtimeErrorMarks.value.get(functionName) : undefined;
  return (
    <>
      <OutcomeView invocation={invocation} functionName={functionName} />
      {mark && (
        <p class="result-links">
          <a href={`/console/functions/${encodeURIComponent(functionName)}/code`}>Show {mark.path}:{mark.line} in the Code tab</a>
        </p>
      )}
      <h3>Summary</h3>
      <SummaryView requestId={invocation.requestId} functionName={functionName} report={report} codeSha256={codeSha256} executedVersion={invocation.executedVersion} />
      <h3>Cost of this invocation</h3>
      {outcome.usage && outcome.prices ? <CostView usage={outcome.usage} prices={outcome.prices} />
        : outcome.costError ? <ErrorBanner error={outcome.costError} />
        : <p class="muted" role="status">Reading the usage record…</p>}
      <h3>Log output</h3>
      <p class="hint">The last 4 KB of the invocation's log (LogType Tail).</p>
      {invocation.logsDenied && <p class="hint" role="status">{invocation.logsDenied}. The lines below were not written to the log group.</p>}
      <LogOutputView text={invocation.logTail} />
      <p class="result-links">
        <a href={`${page}#logs`}>Full log lines</a>
        {traced && <a href={`${page}#trace`}>Trace</a>}
        <a href={page}>Invocation page</a>
      </p>
    </>
  );
}

function compactOrSame(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}
