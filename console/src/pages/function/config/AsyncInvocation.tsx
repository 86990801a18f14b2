// Asynchronous invocation: retries, maximum event age, on-success and on-failure destinations
// (Put/Update/DeleteFunctionEventInvokeConfig) and the dead-letter queue (DeadLetterConfig,
// through UpdateFunctionConfiguration), in one form as Lambda's console edits them.
import { useEffect, useState } from 'preact/hooks';
import {
  deleteEventInvokeConfig, getEventInvokeConfig, listQueueArns, putEventInvokeConfig, updateFunctionConfiguration,
  type EventInvokeConfig,
} from '../../../aws/config';
import { awsCli } from '../../../cli';
import { CliHint } from '../../../components/CliHint';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { region } from '../../../session';
import { accountOfArn } from '../../../aws/lambda';
import type { FunctionTabProps } from '../tab-props';
import { ActionStatus, Field } from './ActionStatus';
import { integerProblem } from './General';
import { useAction } from './use-action';

const RETRIES = { min: 0, max: 2 };
const EVENT_AGE_SECONDS = { min: 60, max: 21_600 };

export function AsyncInvocation({ name, details, reload }: FunctionTabProps) {
  const [config, setConfig] = useState<EventInvokeConfig | null>();
  const [loadError, setLoadError] = useState<unknown>();
  const [queues, setQueues] = useState<string[]>([]);
  const [retries, setRetries] = useState('2');
  const [maxAge, setMaxAge] = useState('21600');
  const [onSuccess, setOnSuccess] = useState('');
  const [onFailure, setOnFailure] = useState('');
  const savedDlq = details.Configuration.DeadLetterConfig?.TargetArn ?? '';
  const [dlq, setDlq] = useState(savedDlq);
  const account = accountOfArn(details.Configuration.FunctionArn);

  const load = async () => {
    try {
      const current = await getEventInvokeConfig(name);
      setConfig(current ?? null);
      setRetries(String(current?.MaximumRetryAttempts ?? 2));
      setMaxAge(String(current?.MaximumEventAgeInSeconds ?? 21_600));
      setOnSuccess(current?.DestinationConfig?.OnSuccess?.Destination ?? '');
      setOnFailure(current?.DestinationConfig?.OnFailure?.Destination ?? '');
      setLoadError(undefined);
    } catch (failure) {
      setLoadError(failure);
    }
  };
  useEffect(() => { void load(); listQueueArns().then(setQueues, () => setQueues([])); }, [name]);
  useEffect(() => setDlq(savedDlq), [savedDlq]);
  const action = useAction(async () => { await reload(); await load(); });

  const invokeConfig: EventInvokeConfig = {
    MaximumRetryAttempts: Number(retries),
    MaximumEventAgeInSeconds: Number(maxAge),
    DestinationConfig: { OnSuccess: { Destination: onSuccess.trim() }, OnFailure: { Destination: onFailure.trim() } },
  };
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await putEventInvokeConfig(name, invokeConfig, Boolean(config));
      if (dlq.trim() !== savedDlq) await updateFunctionConfiguration(name, { DeadLetterConfig: { TargetArn: dlq.trim() } });
    }, 'Asynchronous invocation saved.');
  };
  const remove = () => void action.run(() => deleteEventInvokeConfig(name), 'Asynchronous invocation settings removed: Lambda’s defaults apply (2 retries, 6 hours).');
  const destinationConfig = JSON.stringify({
    ...(onSuccess.trim() ? { OnSuccess: { Destination: onSuccess.trim() } } : {}),
    ...(onFailure.trim() ? { OnFailure: { Destination: onFailure.trim() } } : {}),
  });
  const destinationHint = 'A queue (arn:aws:sqs:…), a topic (arn:aws:sns:…) or a function (arn:aws:lambda:…) of this account';

  return (
    <form onSubmit={save} noValidate aria-labelledby="destinations-title">
      <h2 id="destinations-title">Asynchronous invocation and destinations</h2>
      <p class="muted">
        For events sent with InvocationType Event, schedules and destinations: a failed event is retried, then sent to the
        dead-letter queue and the on-failure destination; a successful one to the on-success destination.
        {config === null && ' No settings saved yet: Lambda’s defaults apply.'}
      </p>
      <ErrorBanner error={loadError} />
      {config === undefined && !loadError && <p class="muted" role="status">Loading…</p>}
      {/* The fields appear once the saved settings are in them, so nothing typed is overwritten. */}
      {config !== undefined && (
        <>
          <datalist id="queue-arns">{queues.map((arn) => <option key={arn} value={arn} />)}</datalist>
          <div class="form-grid">
            <Field label="Retry attempts" hint="0 to 2 retries after a function error" problem={integerProblem(retries, RETRIES.min, RETRIES.max)}>
              <input type="number" inputMode="numeric" value={retries} onInput={(e) => setRetries(e.currentTarget.value)} />
            </Field>
            <Field label="Maximum age of event (seconds)" hint="60 s to 6 hours (21600 s)" problem={integerProblem(maxAge, EVENT_AGE_SECONDS.min, EVENT_AGE_SECONDS.max)}>
              <input type="number" inputMode="numeric" value={maxAge} onInput={(e) => setMaxAge(e.currentTarget.value)} />
            </Field>
            <Field label="On-success destination" hint={destinationHint}>
              <input class="mono" list="queue-arns" value={onSuccess} placeholder="none" onInput={(e) => setOnSuccess(e.currentTarget.value)} />
            </Field>
            <Field label="On-failure destination" hint={destinationHint}>
              <input class="mono" list="queue-arns" value={onFailure} placeholder="none" onInput={(e) => setOnFailure(e.currentTarget.value)} />
            </Field>
            <Field label="Dead-letter queue" hint={`A queue or topic of this account (arn:aws:sqs:${region}:${account}:<queue> or arn:aws:sns:${region}:${account}:<topic>); empty removes it`}>
              <input class="mono" list="queue-arns" value={dlq} placeholder="none" onInput={(e) => setDlq(e.currentTarget.value)} />
            </Field>
          </div>
          <div class="form-actions">
            <button type="submit" class="button primary" disabled={action.busy}>{action.busy ? 'Saving…' : 'Save'}</button>
            <button type="button" class="button danger" disabled={action.busy || !config} onClick={remove}>Remove async settings</button>
          </div>
        </>
      )}
      <ActionStatus action={action} />
      <CliHint command={awsCli('lambda', config ? 'update-function-event-invoke-config' : 'put-function-event-invoke-config', [
        '--function-name', name, '--maximum-retry-attempts', retries, '--maximum-event-age-in-seconds', maxAge, '--destination-config', destinationConfig,
      ])} />
      <CliHint label="Copy as CLI: dead-letter queue" command={awsCli('lambda', 'update-function-configuration', ['--function-name', name, '--dead-letter-config', `TargetArn=${dlq.trim()}`])} />
      <CliHint label="Copy as CLI: remove async settings" command={awsCli('lambda', 'delete-function-event-invoke-config', ['--function-name', name])} />
    </form>
  );
}
