// Reserved concurrency: set (PutFunctionConcurrency), remove (DeleteFunctionConcurrency), and
// Throttle, which reserves 0 as Lambda's console does, so every invocation answers 429.
import { useEffect, useState } from 'preact/hooks';
import { deleteReservedConcurrency, getAccountSettings, putReservedConcurrency, type AccountSettings } from '../../../aws/config';
import { awsCli } from '../../../cli';
import { CliHint } from '../../../components/CliHint';
import { ErrorBanner } from '../../../components/ErrorBanner';
import type { FunctionTabProps } from '../tab-props';
import { ActionStatus, Field } from './ActionStatus';
import { integerProblem } from './General';
import { useAction } from './use-action';

export function isThrottled(details: FunctionTabProps['details']): boolean {
  return details.Concurrency?.ReservedConcurrentExecutions === 0;
}

export function ThrottledBanner() {
  return (
    <div class="banner error throttled" role="status">
      <strong>Throttled.</strong> Reserved concurrency is 0: every invocation is refused with 429 TooManyRequestsException
      (asynchronous events go to the dead-letter queue or on-failure destination). Set a reservation or remove it to let invocations run.
    </div>
  );
}

export function Concurrency({ name, details, reload }: FunctionTabProps) {
  const reserved = details.Concurrency?.ReservedConcurrentExecutions;
  const [settings, setSettings] = useState<AccountSettings>();
  const [settingsError, setSettingsError] = useState<unknown>();
  const [value, setValue] = useState(String(reserved ?? ''));
  const [confirming, setConfirming] = useState(false);
  const refresh = async () => {
    await reload();
    setSettings(await getAccountSettings());
  };
  const action = useAction(refresh);
  useEffect(() => { getAccountSettings().then(setSettings, setSettingsError); }, []);
  useEffect(() => setValue(String(reserved ?? '')), [reserved]);
  const problem = integerProblem(value, 0, Number.MAX_SAFE_INTEGER);
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(() => putReservedConcurrency(name, Number(value)), `Reserved concurrency set to ${value}.`);
  };
  const throttle = () => {
    setConfirming(false);
    void action.run(() => putReservedConcurrency(name, 0), 'Throttled: reserved concurrency is 0.');
  };
  const limit = settings?.AccountLimit;
  return (
    <section aria-labelledby="concurrency-title">
      <h2 id="concurrency-title">Concurrency</h2>
      {isThrottled(details) && <ThrottledBanner />}
      <dl class="facts">
        <dt>Function</dt>
        <dd>{reserved === undefined ? 'Unreserved: shares the account’s unreserved pool' : `${reserved} reserved`}</dd>
        <dt>Account</dt>
        <dd>{limit ? `${limit.ConcurrentExecutions} in all, ${limit.UnreservedConcurrentExecutions} unreserved (at least 100 stay unreserved)` : '…'}</dd>
      </dl>
      <ErrorBanner error={settingsError} />
      <form onSubmit={save} noValidate class="inline-form">
        <Field label="Reserved concurrency" hint="Instances kept for this function alone, and its ceiling; 0 throttles it." problem={value === '' ? undefined : problem}>
          <input type="number" min={0} inputMode="numeric" value={value} onInput={(e) => setValue(e.currentTarget.value)} aria-invalid={value !== '' && problem ? true : undefined} />
        </Field>
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={action.busy}>Save reservation</button>
          <button type="button" class="button" disabled={action.busy || reserved === undefined} onClick={() => void action.run(() => deleteReservedConcurrency(name), 'Reservation removed: the function uses unreserved concurrency.')}>Remove reservation</button>
          {!confirming && <button type="button" class="button danger" disabled={action.busy || reserved === 0} onClick={() => setConfirming(true)}>Throttle</button>}
        </div>
      </form>
      {confirming && (
        <div class="confirm" role="group" aria-labelledby="throttle-question">
          <p id="throttle-question"><strong>Throttle {name}?</strong> This sets reserved concurrency to 0: every invocation is refused with 429 until you change it.</p>
          <button type="button" class="button danger" onClick={throttle}>Confirm throttle</button>
          <button type="button" class="button" onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      )}
      <ActionStatus action={action} />
      <CliHint label="Copy as CLI: save reservation" command={awsCli('lambda', 'put-function-concurrency', ['--function-name', name, '--reserved-concurrent-executions', value || '0'])} />
      <CliHint label="Copy as CLI: throttle" command={awsCli('lambda', 'put-function-concurrency', ['--function-name', name, '--reserved-concurrent-executions', '0'])} />
      <CliHint label="Copy as CLI: remove reservation" command={awsCli('lambda', 'delete-function-concurrency', ['--function-name', name])} />
    </section>
  );
}
