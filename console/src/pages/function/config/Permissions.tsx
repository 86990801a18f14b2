// Permissions: the execution role (UpdateFunctionConfiguration Role) and the resource-based
// policy (GetPolicy's statements; AddPermission, RemovePermission).
import { useEffect, useState } from 'preact/hooks';
import { addPermission, getPolicy, removePermission, updateFunctionConfiguration, type AddPermissionInput, type Policy, type PolicyStatement } from '../../../aws/config';
import { awsCli } from '../../../cli';
import { CliHint } from '../../../components/CliHint';
import { ErrorBanner } from '../../../components/ErrorBanner';
import type { FunctionTabProps } from '../tab-props';
import { ActionStatus, Field } from './ActionStatus';
import { useAction } from './use-action';

const ROLE_PATTERN = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
const SID_PATTERN = '[a-zA-Z0-9-_.]+';
const ACTIONS = ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl', 'lambda:GetFunction', 'lambda:*'];

const principalText = (p: PolicyStatement['Principal']) => (typeof p === 'string' ? p : p.AWS ?? p.Service ?? JSON.stringify(p));
const conditionText = (c: PolicyStatement['Condition']) =>
  c ? Object.entries(c).flatMap(([op, entries]) => Object.entries(entries).map(([k, v]) => `${op} ${k} = ${v}`)).join('; ') : '–';

function Role({ name, details, reload }: FunctionTabProps) {
  const [role, setRole] = useState(details.Configuration.Role);
  const action = useAction(reload);
  const problem = new RegExp(`^${ROLE_PATTERN}$`).test(role) ? undefined : `Member must satisfy regular expression pattern: ${ROLE_PATTERN}`;
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(() => updateFunctionConfiguration(name, { Role: role }), 'Execution role saved.');
  };
  return (
    <form onSubmit={save} noValidate aria-labelledby="role-title">
      <h3 id="role-title">Execution role</h3>
      <p class="muted">faasbox records the role as Lambda does; the function's calls are made with the platform's own credentials, not the role's.</p>
      <div class="inline-form">
        <Field label="Role ARN" problem={problem}><input class="mono wide" value={role} onInput={(e) => setRole(e.currentTarget.value)} aria-invalid={problem ? true : undefined} /></Field>
        <div class="form-actions"><button type="submit" class="button primary" disabled={action.busy}>Save role</button></div>
      </div>
      <ActionStatus action={action} />
      <CliHint command={awsCli('lambda', 'update-function-configuration', ['--function-name', name, '--role', role])} />
    </form>
  );
}

export function Permissions(props: FunctionTabProps) {
  const { name, reload } = props;
  const [policy, setPolicy] = useState<Policy>();
  const [loadError, setLoadError] = useState<unknown>();
  const [form, setForm] = useState<AddPermissionInput>({ StatementId: '', Action: 'lambda:InvokeFunction', Principal: '' });
  const load = async () => {
    try {
      setPolicy(await getPolicy(name));
      setLoadError(undefined);
    } catch (failure) {
      setLoadError(failure);
    }
  };
  useEffect(() => { void load(); }, [name]);
  const action = useAction(async () => { await reload(); await load(); });
  const input: AddPermissionInput = {
    StatementId: form.StatementId.trim(), Action: form.Action, Principal: form.Principal.trim(),
    ...(form.SourceArn?.trim() ? { SourceArn: form.SourceArn.trim() } : {}),
    ...(form.SourceAccount?.trim() ? { SourceAccount: form.SourceAccount.trim() } : {}),
    ...(form.FunctionUrlAuthType ? { FunctionUrlAuthType: form.FunctionUrlAuthType } : {}),
  };
  const add = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await addPermission(name, input);
      setForm({ StatementId: '', Action: form.Action, Principal: '' });
    }, `Statement ${input.StatementId} added.`);
  };
  const sidProblem = form.StatementId === '' || new RegExp(`^${SID_PATTERN}$`).test(form.StatementId) ? undefined : `Member must satisfy regular expression pattern: ${SID_PATTERN}`;
  return (
    <section aria-labelledby="permissions-title">
      <h2 id="permissions-title">Permissions</h2>
      <Role {...props} />
      <h3>Resource-based policy statements</h3>
      <p class="muted">Who else may call this function: a function URL with auth type NONE answers only when a statement allows lambda:InvokeFunctionUrl for *.</p>
      <ErrorBanner error={loadError} />
      {policy && policy.statements.length === 0 && <p class="empty-inline muted">No statements: only this account can invoke the function.</p>}
      {policy && policy.statements.length > 0 && (
        <table class="table" aria-label="Resource-based policy statements">
          <thead><tr><th scope="col">Statement ID</th><th scope="col">Principal</th><th scope="col">Action</th><th scope="col">Conditions</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
          <tbody>
            {policy.statements.map((s) => (
              <tr key={s.Sid}>
                <td class="mono">{s.Sid}</td>
                <td class="mono">{principalText(s.Principal)}</td>
                <td class="mono">{s.Action}</td>
                <td class="mono">{conditionText(s.Condition)}</td>
                <td><button type="button" class="button small danger" aria-label={`Remove statement ${s.Sid}`} disabled={action.busy} onClick={() => void action.run(() => removePermission(name, s.Sid), `Statement ${s.Sid} removed.`)}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {policy && policy.statements.length > 0 && (
        <CliHint label="Copy as CLI: remove a statement" command={awsCli('lambda', 'remove-permission', ['--function-name', name, '--statement-id', policy.statements[0].Sid])} />
      )}
      <form onSubmit={add} noValidate aria-labelledby="add-permission-title" class="subform">
        <h3 id="add-permission-title">Add permission</h3>
        <div class="form-grid">
          <Field label="Statement ID" hint="Letters, digits, - _ . (up to 100)" problem={sidProblem}><input value={form.StatementId} onInput={(e) => setForm({ ...form, StatementId: e.currentTarget.value })} /></Field>
          <Field label="Principal" hint="* , an account id, an IAM ARN or a service (events.amazonaws.com)"><input value={form.Principal} onInput={(e) => setForm({ ...form, Principal: e.currentTarget.value })} /></Field>
          <Field label="Action">
            <select value={form.Action} onChange={(e) => setForm({ ...form, Action: e.currentTarget.value })}>
              {ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
            </select>
          </Field>
          <Field label="Function URL auth type" hint="Condition lambda:FunctionUrlAuthType, for lambda:InvokeFunctionUrl">
            <select value={form.FunctionUrlAuthType ?? ''} onChange={(e) => setForm({ ...form, FunctionUrlAuthType: (e.currentTarget.value || undefined) as AddPermissionInput['FunctionUrlAuthType'] })}>
              <option value="">(none)</option><option value="NONE">NONE</option><option value="AWS_IAM">AWS_IAM</option>
            </select>
          </Field>
          <Field label="Source ARN" hint="Optional: only calls on behalf of this resource"><input class="mono" value={form.SourceArn ?? ''} onInput={(e) => setForm({ ...form, SourceArn: e.currentTarget.value })} /></Field>
          <Field label="Source account" hint="Optional: 12 digits"><input value={form.SourceAccount ?? ''} onInput={(e) => setForm({ ...form, SourceAccount: e.currentTarget.value })} /></Field>
        </div>
        <div class="form-actions"><button type="submit" class="button primary" disabled={action.busy}>Add permission</button></div>
      </form>
      <ActionStatus action={action} />
      <CliHint command={awsCli('lambda', 'add-permission', [
        '--function-name', name, '--statement-id', input.StatementId, '--action', input.Action, '--principal', input.Principal,
        ...(input.SourceArn ? ['--source-arn', input.SourceArn] : []),
        ...(input.SourceAccount ? ['--source-account', input.SourceAccount] : []),
        ...(input.FunctionUrlAuthType ? ['--function-url-auth-type', input.FunctionUrlAuthType] : []),
      ])} />
    </section>
  );
}
