// Triggers: what starts this function besides Invoke. Its function URL (edited in its own
// section), schedules (EventBridge rules targeting it: PutRule + PutTargets, Enable/DisableRule,
// RemoveTargets + DeleteRule) and queue mappings (event source mappings: create, enable,
// disable, delete).
import { useEffect, useState } from 'preact/hooks';
import {
  createEventSourceMapping, deleteEventSourceMapping, getFunctionUrl, listEventSourceMappings, listQueueArns, listSchedules,
  putSchedule, removeSchedule, setEventSourceMappingEnabled, setScheduleEnabled,
  type EventSourceMapping, type FunctionUrlConfig, type Schedule,
} from '../../../aws/config';
import { awsCli } from '../../../cli';
import { CliHint } from '../../../components/CliHint';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { formatDate } from '../../../format';
import type { FunctionTabProps } from '../tab-props';
import { ActionStatus, Field } from './ActionStatus';
import { useAction } from './use-action';

const queueName = (arn: string) => arn.split(':')[5] ?? arn;

function Schedules({ name, details, reload }: FunctionTabProps) {
  const [schedules, setSchedules] = useState<Schedule[]>();
  const [loadError, setLoadError] = useState<unknown>();
  const [rule, setRule] = useState({ Name: `${name}-schedule`.slice(0, 64), ScheduleExpression: 'rate(5 minutes)', Description: '' });
  const load = () => listSchedules(name).then((s) => { setSchedules(s); setLoadError(undefined); }, setLoadError);
  useEffect(() => { void load(); }, [name]);
  const action = useAction(async () => { await reload(); await load(); });
  const functionArn = details.Configuration.FunctionArn.split(':').slice(0, 7).join(':');
  const add = (event: Event) => {
    event.preventDefault();
    void action.run(() => putSchedule({ Name: rule.Name.trim(), ScheduleExpression: rule.ScheduleExpression.trim(), ...(rule.Description ? { Description: rule.Description } : {}) }, functionArn, name), `Schedule ${rule.Name} added.`);
  };
  return (
    <div aria-labelledby="schedules-title">
      <h3 id="schedules-title">Schedules <span class="count">(EventBridge rules)</span></h3>
      <ErrorBanner error={loadError} />
      {schedules && schedules.length === 0 && <p class="empty-inline muted">No schedule runs this function.</p>}
      {schedules && schedules.length > 0 && (
        <table class="table" aria-label="Schedules">
          <thead><tr><th scope="col">Rule</th><th scope="col">Expression</th><th scope="col">State</th><th scope="col">Description</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {schedules.map((s) => (
              <tr key={s.Name}>
                <td class="mono">{s.Name}</td>
                <td class="mono">{s.ScheduleExpression}</td>
                <td><span class={s.State === 'ENABLED' ? 'pill ok' : 'pill'}>{s.State === 'ENABLED' ? 'Enabled' : 'Disabled'}</span></td>
                <td>{s.Description || '–'}</td>
                <td class="row-actions">
                  <button type="button" class="button small" disabled={action.busy} onClick={() => void action.run(() => setScheduleEnabled(s.Name, s.State !== 'ENABLED'), `Schedule ${s.Name} ${s.State === 'ENABLED' ? 'disabled' : 'enabled'}.`)}>{s.State === 'ENABLED' ? 'Disable' : 'Enable'}</button>
                  <button type="button" class="button small danger" disabled={action.busy} aria-label={`Remove schedule ${s.Name}`} onClick={() => void action.run(() => removeSchedule(s), `Schedule ${s.Name} removed.`)}>Remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={add} noValidate class="subform" aria-label="Add schedule">
        <div class="form-grid">
          <Field label="Rule name" hint="1-64 of letters, digits, . - _"><input value={rule.Name} onInput={(e) => setRule({ ...rule, Name: e.currentTarget.value })} /></Field>
          <Field label="Schedule expression" hint="rate(5 minutes) or cron(0 12 * * ? *), UTC"><input class="mono" value={rule.ScheduleExpression} onInput={(e) => setRule({ ...rule, ScheduleExpression: e.currentTarget.value })} /></Field>
          <Field label="Rule description" hint="Optional"><input value={rule.Description} onInput={(e) => setRule({ ...rule, Description: e.currentTarget.value })} /></Field>
        </div>
        <div class="form-actions"><button type="submit" class="button primary" disabled={action.busy}>Add schedule</button></div>
      </form>
      <ActionStatus action={action} />
      <CliHint command={[
        awsCli('events', 'put-rule', ['--name', rule.Name, '--schedule-expression', rule.ScheduleExpression, ...(rule.Description ? ['--description', rule.Description] : [])]),
        awsCli('events', 'put-targets', ['--rule', rule.Name, '--targets', JSON.stringify([{ Id: name, Arn: functionArn }])]),
      ].join(' && ')} />
    </div>
  );
}

function QueueMappings({ name, reload }: FunctionTabProps) {
  const [mappings, setMappings] = useState<EventSourceMapping[]>();
  const [queues, setQueues] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<unknown>();
  const [form, setForm] = useState({ queue: '', batchSize: '10', window: '0', partial: true });
  const load = () => listEventSourceMappings(name).then((m) => { setMappings(m); setLoadError(undefined); }, setLoadError);
  useEffect(() => { void load(); listQueueArns().then(setQueues, () => setQueues([])); }, [name]);
  const action = useAction(async () => { await reload(); await load(); });
  const request = {
    EventSourceArn: form.queue.trim(), BatchSize: Number(form.batchSize), MaximumBatchingWindowInSeconds: Number(form.window),
    ...(form.partial ? { FunctionResponseTypes: ['ReportBatchItemFailures'] } : {}),
  };
  const add = (event: Event) => {
    event.preventDefault();
    void action.run(() => createEventSourceMapping(name, request), `Queue mapping for ${queueName(request.EventSourceArn)} created.`);
  };
  return (
    <div aria-labelledby="queue-mappings-title">
      <h3 id="queue-mappings-title">Queue mappings <span class="count">(event source mappings)</span></h3>
      <ErrorBanner error={loadError} />
      {mappings && mappings.length === 0 && <p class="empty-inline muted">No queue feeds this function.</p>}
      {mappings && mappings.length > 0 && (
        <table class="table" aria-label="Queue mappings">
          <thead><tr><th scope="col">Queue</th><th scope="col">State</th><th scope="col">Batch</th><th scope="col">Window</th><th scope="col">Partial failures</th><th scope="col">Modified</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {mappings.map((m) => {
              const enabled = m.State === 'Enabled' || m.State === 'Enabling' || m.State === 'Creating';
              return (
                <tr key={m.UUID}>
                  <td class="mono" title={m.EventSourceArn}>{queueName(m.EventSourceArn)}</td>
                  <td><span class={enabled ? 'pill ok' : 'pill'}>{m.State}</span></td>
                  <td>{m.BatchSize}</td>
                  <td>{m.MaximumBatchingWindowInSeconds} s</td>
                  <td>{m.FunctionResponseTypes?.includes('ReportBatchItemFailures') ? 'Reported' : 'Whole batch'}</td>
                  <td>{new Date(m.LastModified * 1000).toLocaleString()}</td>
                  <td class="row-actions">
                    <button type="button" class="button small" disabled={action.busy} onClick={() => void action.run(() => setEventSourceMappingEnabled(m.UUID, !enabled), `Queue mapping ${enabled ? 'disabled' : 'enabled'}.`)}>{enabled ? 'Disable' : 'Enable'}</button>
                    <button type="button" class="button small danger" disabled={action.busy} aria-label={`Delete mapping of ${queueName(m.EventSourceArn)}`} onClick={() => void action.run(() => deleteEventSourceMapping(m.UUID), 'Queue mapping deleted.')}>Delete</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {mappings && mappings.length > 0 && (
        <CliHint label="Copy as CLI: disable a mapping" command={awsCli('lambda', 'update-event-source-mapping', ['--uuid', mappings[0].UUID, '--no-enabled'])} />
      )}
      <form onSubmit={add} noValidate class="subform" aria-label="Add queue mapping">
        <datalist id="mapping-queue-arns">{queues.map((arn) => <option key={arn} value={arn} />)}</datalist>
        <div class="form-grid">
          <Field label="Queue ARN" hint={queues.length ? `${queues.length} queue(s) in this account: pick or type` : 'No queues yet: create one with SQS CreateQueue'}>
            <input class="mono" list="mapping-queue-arns" value={form.queue} onInput={(e) => setForm({ ...form, queue: e.currentTarget.value })} />
          </Field>
          <Field label="Batch size" hint="1 to 10000; above 10 needs a batching window"><input type="number" value={form.batchSize} onInput={(e) => setForm({ ...form, batchSize: e.currentTarget.value })} /></Field>
          <Field label="Batching window (seconds)" hint="0 to 300"><input type="number" value={form.window} onInput={(e) => setForm({ ...form, window: e.currentTarget.value })} /></Field>
          <label class="choice"><input type="checkbox" checked={form.partial} onChange={(e) => setForm({ ...form, partial: e.currentTarget.checked })} /> Report batch item failures (partial batch responses)</label>
        </div>
        <div class="form-actions"><button type="submit" class="button primary" disabled={action.busy}>Add queue mapping</button></div>
      </form>
      <ActionStatus action={action} />
      <CliHint command={awsCli('lambda', 'create-event-source-mapping', [
        '--function-name', name, '--event-source-arn', request.EventSourceArn, '--batch-size', form.batchSize,
        '--maximum-batching-window-in-seconds', form.window, ...(form.partial ? ['--function-response-types', 'ReportBatchItemFailures'] : []),
      ])} />
    </div>
  );
}

export function Triggers(props: FunctionTabProps) {
  const [url, setUrl] = useState<FunctionUrlConfig | null>();
  useEffect(() => { getFunctionUrl(props.name).then((u) => setUrl(u ?? null), () => setUrl(null)); }, [props.name, props.details]);
  return (
    <section aria-labelledby="triggers-title">
      <h2 id="triggers-title">Triggers</h2>
      <h3>Function URL</h3>
      {url === undefined && <p class="muted">…</p>}
      {url === null && <p class="muted">None. <a href="#function-url">Create a function URL</a>.</p>}
      {url && <p><a class="mono" href={url.FunctionUrl} target="_blank" rel="noopener noreferrer">{url.FunctionUrl}</a> <span class="muted">auth {url.AuthType}, modified {formatDate(url.LastModifiedTime ?? url.CreationTime)} · <a href="#function-url">Edit</a></span></p>}
      <Schedules {...props} />
      <QueueMappings {...props} />
    </section>
  );
}
