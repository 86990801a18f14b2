// The function URL: create, update (auth type, CORS) and delete (Create/Update/Delete
// FunctionUrlConfig), copy it, open it in a new tab. With auth type NONE, Lambda's console also
// adds the public-access statement to the resource policy; this form offers the same.
import { useEffect, useState } from 'preact/hooks';
import {
  addPermission, createFunctionUrl, deleteFunctionUrl, getFunctionUrl, updateFunctionUrl, type Cors, type FunctionUrlConfig,
} from '../../../aws/config';
import { awsCli } from '../../../cli';
import { CliHint } from '../../../components/CliHint';
import { ErrorBanner } from '../../../components/ErrorBanner';
import type { FunctionTabProps } from '../tab-props';
import { ActionStatus, Field } from './ActionStatus';
import { useAction } from './use-action';

const PUBLIC_ACCESS_SID = 'FunctionURLAllowPublicAccess';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', '*'];

/** A comma-separated list as the API's string array (empty items dropped). */
const listOf = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

interface CorsForm { enabled: boolean; origins: string; methods: string[]; headers: string; expose: string; maxAge: string; credentials: boolean }

function corsForm(cors: Cors | undefined): CorsForm {
  return {
    enabled: cors !== undefined && Object.keys(cors).length > 0,
    origins: (cors?.AllowOrigins ?? ['*']).join(', '),
    methods: cors?.AllowMethods ?? [],
    headers: (cors?.AllowHeaders ?? []).join(', '),
    expose: (cors?.ExposeHeaders ?? []).join(', '),
    maxAge: String(cors?.MaxAge ?? 0),
    credentials: cors?.AllowCredentials ?? false,
  };
}

function corsOf(form: CorsForm): Cors {
  return {
    AllowOrigins: listOf(form.origins), AllowMethods: form.methods, AllowHeaders: listOf(form.headers),
    ExposeHeaders: listOf(form.expose), MaxAge: Number(form.maxAge), AllowCredentials: form.credentials,
  };
}

export function FunctionUrl({ name, reload }: FunctionTabProps) {
  const [url, setUrl] = useState<FunctionUrlConfig | null>();
  const [loadError, setLoadError] = useState<unknown>();
  const [authType, setAuthType] = useState<'NONE' | 'AWS_IAM'>('AWS_IAM');
  const [cors, setCors] = useState<CorsForm>(corsForm(undefined));
  const [addPublicAccess, setAddPublicAccess] = useState(true);
  const [copied, setCopied] = useState(false);
  const load = async () => {
    try {
      const current = await getFunctionUrl(name);
      setUrl(current ?? null);
      if (current) {
        setAuthType(current.AuthType);
        setCors(corsForm(current.Cors));
      }
      setLoadError(undefined);
    } catch (failure) {
      setLoadError(failure);
    }
  };
  useEffect(() => { void load(); }, [name]);
  const action = useAction(async () => { await reload(); await load(); });
  const request = { AuthType: authType, ...(cors.enabled ? { Cors: corsOf(cors) } : {}) };
  const grantsPublic = !url && authType === 'NONE' && addPublicAccess;
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      if (url) {
        // An update without Cors keeps the old CORS: an empty object clears it.
        await updateFunctionUrl(name, { AuthType: authType, Cors: cors.enabled ? corsOf(cors) : {} });
        return;
      }
      await createFunctionUrl(name, request);
      if (grantsPublic) {
        await addPermission(name, { StatementId: PUBLIC_ACCESS_SID, Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' });
      }
    }, url ? 'Function URL updated.' : 'Function URL created.');
  };
  const copy = async () => {
    if (!url) return;
    await navigator.clipboard?.writeText(url.FunctionUrl).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  const toggleMethod = (method: string, on: boolean) =>
    setCors({ ...cors, methods: on ? [...cors.methods, method] : cors.methods.filter((m) => m !== method) });
  const corsArgs = cors.enabled ? ['--cors', JSON.stringify(corsOf(cors))] : [];
  const command = url
    ? awsCli('lambda', 'update-function-url-config', ['--function-name', name, '--auth-type', authType, '--cors', JSON.stringify(cors.enabled ? corsOf(cors) : {})])
    : [
      awsCli('lambda', 'create-function-url-config', ['--function-name', name, '--auth-type', authType, ...corsArgs]),
      ...(grantsPublic ? [awsCli('lambda', 'add-permission', ['--function-name', name, '--statement-id', PUBLIC_ACCESS_SID, '--action', 'lambda:InvokeFunctionUrl', '--principal', '*', '--function-url-auth-type', 'NONE'])] : []),
    ].join(' && ');

  return (
    <section aria-labelledby="function-url-title">
      <h2 id="function-url-title">Function URL</h2>
      <ErrorBanner error={loadError} />
      {url === undefined && !loadError && <p class="muted" role="status">Loading…</p>}
      {url && (
        <div class="url-box">
          <a class="mono url-link" href={url.FunctionUrl} target="_blank" rel="noopener noreferrer">{url.FunctionUrl}</a>
          <button type="button" class="button small" onClick={copy}>{copied ? 'Copied' : 'Copy URL'}</button>
          <a class="button small" href={url.FunctionUrl} target="_blank" rel="noopener noreferrer">Open in a new tab</a>
          <span class="muted">Auth {url.AuthType} · created {new Date(url.CreationTime).toLocaleString()}</span>
        </div>
      )}
      {url === null && <p class="muted">This function has no URL. Create one to call it over plain HTTPS, from a browser or curl.</p>}
      {url !== undefined && (
        <form onSubmit={save} noValidate>
          <fieldset class="choices">
            <legend>Auth type</legend>
            <label class="choice"><input type="radio" name="auth-type" checked={authType === 'AWS_IAM'} onChange={() => setAuthType('AWS_IAM')} /> AWS_IAM <span class="hint">Only SigV4-signed requests of this account (or ones the resource policy allows).</span></label>
            <label class="choice"><input type="radio" name="auth-type" checked={authType === 'NONE'} onChange={() => setAuthType('NONE')} /> NONE <span class="hint">Public: anyone with the URL, when the resource policy allows lambda:InvokeFunctionUrl for *.</span></label>
          </fieldset>
          {!url && authType === 'NONE' && (
            <label class="choice"><input type="checkbox" checked={addPublicAccess} onChange={(e) => setAddPublicAccess(e.currentTarget.checked)} /> Add the public-access statement ({PUBLIC_ACCESS_SID}) to the resource policy, as Lambda’s console does</label>
          )}
          <label class="choice"><input type="checkbox" checked={cors.enabled} onChange={(e) => setCors({ ...cors, enabled: e.currentTarget.checked })} /> Configure cross-origin resource sharing (CORS)</label>
          {cors.enabled && (
            <div class="form-grid">
              <Field label="Allow origins" hint="Comma-separated, e.g. https://example.com, or *"><input value={cors.origins} onInput={(e) => setCors({ ...cors, origins: e.currentTarget.value })} /></Field>
              <Field label="Allow headers" hint="Comma-separated"><input value={cors.headers} onInput={(e) => setCors({ ...cors, headers: e.currentTarget.value })} /></Field>
              <Field label="Expose headers" hint="Comma-separated"><input value={cors.expose} onInput={(e) => setCors({ ...cors, expose: e.currentTarget.value })} /></Field>
              <Field label="Max age (seconds)" hint="0 to 86400"><input type="number" value={cors.maxAge} onInput={(e) => setCors({ ...cors, maxAge: e.currentTarget.value })} /></Field>
              <fieldset class="choices">
                <legend>Allow methods</legend>
                {METHODS.map((method) => (
                  <label key={method} class="choice inline"><input type="checkbox" checked={cors.methods.includes(method)} onChange={(e) => toggleMethod(method, e.currentTarget.checked)} /> {method}</label>
                ))}
              </fieldset>
              <label class="choice"><input type="checkbox" checked={cors.credentials} onChange={(e) => setCors({ ...cors, credentials: e.currentTarget.checked })} /> Allow credentials</label>
            </div>
          )}
          <div class="form-actions">
            <button type="submit" class="button primary" disabled={action.busy}>{url ? 'Save' : 'Create function URL'}</button>
            {url && <button type="button" class="button danger" disabled={action.busy} onClick={() => void action.run(() => deleteFunctionUrl(name), 'Function URL deleted.')}>Delete function URL</button>}
          </div>
        </form>
      )}
      <ActionStatus action={action} />
      <CliHint command={command} />
      {url && <CliHint label="Copy as CLI: delete" command={awsCli('lambda', 'delete-function-url-config', ['--function-name', name])} />}
    </section>
  );
}
