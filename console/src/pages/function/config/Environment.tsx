// Environment variables: a key/value editor with Lambda's 4 KB budget shown live, counted as
// Lambda counts it (the variables as JSON text, in UTF-8 bytes), saved with
// UpdateFunctionConfiguration; the API's refusal (too large, reserved key) is shown as worded.
import { useState } from 'preact/hooks';
import { updateFunctionConfiguration } from '../../../aws/config';
import { awsCli } from '../../../cli';
import { CliHint } from '../../../components/CliHint';
import { formatBytes } from '../../../format';
import type { FunctionTabProps } from '../tab-props';
import { ActionStatus } from './ActionStatus';
import { useAction } from './use-action';

export const ENVIRONMENT_MAX_BYTES = 4 * 1024;
const KEY_PATTERN = '[a-zA-Z]([a-zA-Z0-9_])+';
/** Names Lambda keeps for itself (the API refuses them). */
const RESERVED = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

interface Row { id: number; key: string; value: string }

/** The bytes Lambda measures: JSON.stringify of the variables, UTF-8. */
export function environmentBytes(variables: Record<string, string>): number {
  return new TextEncoder().encode(JSON.stringify(variables)).byteLength;
}

function keyProblem(key: string, rows: Row[]): string | undefined {
  if (!new RegExp(`^${KEY_PATTERN}$`).test(key)) return `Keys must satisfy the pattern ${KEY_PATTERN} (a letter, then at least one letter, digit or _)`;
  if (RESERVED.has(key)) return `${key} is reserved by Lambda`;
  if (rows.filter((r) => r.key === key).length > 1) return 'Duplicate key: only the last one would be kept';
  return undefined;
}

let nextRowId = 1;
const toRows = (variables: Record<string, string>) => Object.entries(variables).map(([key, value]) => ({ id: nextRowId++, key, value }));

export function Environment({ name, details, reload }: FunctionTabProps) {
  const environment = details.Configuration.Environment as { Variables?: Record<string, string>; Error?: { ErrorCode: string; Message: string } } | undefined;
  const [rows, setRows] = useState<Row[]>(() => toRows(environment?.Variables ?? {}));
  const action = useAction(reload);
  const variables = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const bytes = environmentBytes(variables);
  const over = bytes > ENVIRONMENT_MAX_BYTES;
  const change = (id: number, field: 'key' | 'value', text: string) => setRows(rows.map((r) => (r.id === id ? { ...r, [field]: text } : r)));
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(() => updateFunctionConfiguration(name, { Environment: { Variables: variables } }), 'Environment variables saved.');
  };
  const shorthand = rows.length === 0 ? 'Variables={}' : JSON.stringify({ Variables: variables });
  return (
    <form onSubmit={save} noValidate aria-labelledby="environment-title">
      <h2 id="environment-title">Environment variables</h2>
      <p class="muted">Encrypted at rest with faasbox's key; the function reads them from <code>process.env</code>.</p>
      {environment?.Error && <div class="banner error" role="alert"><strong>{environment.Error.ErrorCode}</strong> {environment.Error.Message}</div>}
      <div class={over ? 'budget over' : 'budget'} role="status" aria-live="polite">
        <div class="budget-text">
          <strong>{formatBytes(bytes)} of 4 KB used</strong> <span class="muted">({bytes.toLocaleString()} of {ENVIRONMENT_MAX_BYTES.toLocaleString()} bytes, counted as Lambda counts it: the variables as JSON, in UTF-8)</span>
          {over && <span class="budget-warning"> Over the limit: the API will refuse this set.</span>}
        </div>
        <div class="budget-bar" aria-hidden="true"><div class="budget-fill" style={{ width: `${Math.min(100, (bytes / ENVIRONMENT_MAX_BYTES) * 100)}%` }} /></div>
      </div>
      {rows.length === 0 ? <p class="empty-inline muted">No environment variables.</p> : (
        <table class="table env-table">
          <thead><tr><th scope="col">Key</th><th scope="col">Value</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
          <tbody>
            {rows.map((row, index) => {
              const problem = keyProblem(row.key, rows);
              return (
                <tr key={row.id}>
                  <td>
                    <input class="mono" aria-label={`Key ${index + 1}`} value={row.key} onInput={(e) => change(row.id, 'key', e.currentTarget.value)} aria-invalid={problem ? true : undefined} />
                    {problem && <div class="field-problem">{problem}</div>}
                  </td>
                  <td><input class="mono wide" aria-label={`Value ${index + 1}`} value={row.value} onInput={(e) => change(row.id, 'value', e.currentTarget.value)} /></td>
                  <td><button type="button" class="button small danger" aria-label={`Remove ${row.key || `variable ${index + 1}`}`} onClick={() => setRows(rows.filter((r) => r.id !== row.id))}>Remove</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div class="form-actions">
        <button type="button" class="button" onClick={() => setRows([...rows, { id: nextRowId++, key: '', value: '' }])}>Add environment variable</button>
        <button type="submit" class="button primary" disabled={action.busy}>{action.busy ? 'Saving…' : 'Save'}</button>
      </div>
      <ActionStatus action={action} />
      <CliHint command={awsCli('lambda', 'update-function-configuration', ['--function-name', name, '--environment', shorthand])} />
    </form>
  );
}
