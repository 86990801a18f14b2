// Tags: a key/value editor over the function's tags (ListTags, TagResource, UntagResource on the
// unqualified ARN). Save sends what changed: UntagResource for removed keys, then TagResource for
// the rest; the API's refusal (a bad key, aws: prefix, over 50) is shown as worded.
import { useEffect, useState } from 'preact/hooks';
import { listTags, tagResource, untagResource } from '../../../aws/config';
import { awsCli } from '../../../cli';
import { CliHint } from '../../../components/CliHint';
import { ErrorBanner } from '../../../components/ErrorBanner';
import type { FunctionTabProps } from '../tab-props';
import { ActionStatus } from './ActionStatus';
import { useAction } from './use-action';

export const TAGS_MAX = 50;
const KEY_MAX_CHARS = 128;
const VALUE_MAX_CHARS = 256;

interface Row { id: number; key: string; value: string }

let nextRowId = 1;
const toRows = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ id: nextRowId++, key, value }));

function keyProblem(key: string, rows: Row[]): string | undefined {
  if (key.length === 0 || key.length > KEY_MAX_CHARS) return `Keys have 1 to ${KEY_MAX_CHARS} characters`;
  if (key.toLowerCase().startsWith('aws:')) return 'Keys starting with aws: are reserved for AWS';
  if (rows.filter((r) => r.key === key).length > 1) return 'Duplicate key: only the last one would be kept';
  return undefined;
}

export function Tags({ name, details, reload }: FunctionTabProps) {
  const arn = details.Configuration.FunctionArn;
  const [saved, setSaved] = useState<Record<string, string>>();
  const [loadError, setLoadError] = useState<unknown>();
  const [rows, setRows] = useState<Row[]>([]);
  const refresh = async () => {
    try {
      const tags = await listTags(arn);
      setSaved(tags);
      setRows(toRows(tags));
    } catch (error) {
      setLoadError(error);
    }
  };
  useEffect(() => void refresh(), [arn]);
  const action = useAction(async () => { await reload(); await refresh(); });
  const tags = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const change = (id: number, field: 'key' | 'value', text: string) => setRows(rows.map((r) => (r.id === id ? { ...r, [field]: text } : r)));
  const save = (event: Event) => {
    event.preventDefault();
    const removed = Object.keys(saved ?? {}).filter((key) => !(key in tags));
    void action.run(async () => {
      if (removed.length > 0) await untagResource(arn, removed);
      if (Object.keys(tags).length > 0) await tagResource(arn, tags);
    }, 'Tags saved.');
  };
  const shorthand = Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(',');
  return (
    <form onSubmit={save} noValidate aria-labelledby="tags-title">
      <h2 id="tags-title">Tags</h2>
      <p class="muted">Labels for the function, up to {TAGS_MAX}; IAM policies do not evaluate them here yet (docs/IAM.md).</p>
      {loadError !== undefined && <ErrorBanner error={loadError} />}
      {saved === undefined && loadError === undefined && <p class="muted" role="status">Loading…</p>}
      {saved !== undefined && (rows.length === 0 ? <p class="empty-inline muted">No tags.</p> : (
        <table class="table env-table">
          <thead><tr><th scope="col">Key</th><th scope="col">Value</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
          <tbody>
            {rows.map((row, index) => {
              const problem = keyProblem(row.key, rows);
              const valueProblem = row.value.length > VALUE_MAX_CHARS ? `Values have at most ${VALUE_MAX_CHARS} characters` : undefined;
              return (
                <tr key={row.id}>
                  <td>
                    <input class="mono" aria-label={`Tag key ${index + 1}`} value={row.key} onInput={(e) => change(row.id, 'key', e.currentTarget.value)} aria-invalid={problem ? true : undefined} />
                    {problem && <div class="field-problem">{problem}</div>}
                  </td>
                  <td>
                    <input class="mono wide" aria-label={`Tag value ${index + 1}`} value={row.value} onInput={(e) => change(row.id, 'value', e.currentTarget.value)} aria-invalid={valueProblem ? true : undefined} />
                    {valueProblem && <div class="field-problem">{valueProblem}</div>}
                  </td>
                  <td><button type="button" class="button small danger" aria-label={`Remove tag ${row.key || index + 1}`} onClick={() => setRows(rows.filter((r) => r.id !== row.id))}>Remove</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
      {saved !== undefined && (
        <div class="form-actions">
          <button type="button" class="button" disabled={rows.length >= TAGS_MAX} onClick={() => setRows([...rows, { id: nextRowId++, key: '', value: '' }])}>Add tag</button>
          <button type="submit" class="button primary" disabled={action.busy}>{action.busy ? 'Saving…' : 'Save'}</button>
        </div>
      )}
      <ActionStatus action={action} />
      {shorthand && <CliHint command={awsCli('lambda', 'tag-resource', ['--resource', arn, '--tags', shorthand])} />}
    </form>
  );
}
