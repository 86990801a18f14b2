// The function page's Aliases and versions tab: publish a version, the versions and aliases
// lists, an alias editor with a weighted second version (RoutingConfig), and the side-by-side
// diff of any two versions.
import { useEffect, useState } from 'preact/hooks';
import type { FunctionConfiguration } from '../../aws/lambda';
import { createAlias, deleteAlias, listAliases, listVersions, publishVersion, updateAlias, type Alias } from '../../aws/versions';
import { awsCli } from '../../cli';
import { CliHint } from '../../components/CliHint';
import { ErrorBanner } from '../../components/ErrorBanner';
import { VersionDiff } from '../../diff/VersionDiff';
import { formatBytes, formatDate } from '../../format';
import type { FunctionTabProps } from './tab-props';
import { ActionStatus, Field } from './config/ActionStatus';
import { useAction } from './config/use-action';
import '../../styles/versions.css';

interface AliasForm { editing?: string; name: string; version: string; description: string; extraVersion: string; weightPercent: string }

/** $LATEST, then the published versions from the newest. */
const newestFirst = (a: FunctionConfiguration, b: FunctionConfiguration) =>
  a.Version === '$LATEST' ? -1 : b.Version === '$LATEST' ? 1 : Number(b.Version) - Number(a.Version);

const emptyAlias = (version: string): AliasForm => ({ name: '', version, description: '', extraVersion: '', weightPercent: '10' });

function formOf(alias: Alias): AliasForm {
  const [extra] = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  return {
    editing: alias.Name, name: alias.Name, version: alias.FunctionVersion, description: alias.Description ?? '',
    extraVersion: extra?.[0] ?? '', weightPercent: extra ? String(Math.round(extra[1] * 10_000) / 100) : '10',
  };
}

const routingText = (alias: Alias) => {
  const [extra] = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  return extra ? `${Math.round((1 - extra[1]) * 1000) / 10}% → ${alias.FunctionVersion}, ${Math.round(extra[1] * 1000) / 10}% → ${extra[0]}` : `100% → ${alias.FunctionVersion}`;
};

function AliasEditor({ name, form, setForm, versions, done }: { name: string; form: AliasForm; setForm: (f: AliasForm | undefined) => void; versions: string[]; done: () => Promise<void> }) {
  const action = useAction(async () => { await done(); setForm(undefined); });
  const weight = Number(form.weightPercent) / 100;
  const weights: Record<string, number> = form.extraVersion ? { [form.extraVersion]: weight } : {};
  const input = { FunctionVersion: form.version, Description: form.description, RoutingConfig: { AdditionalVersionWeights: weights } };
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(() => (form.editing ? updateAlias(name, form.editing, input) : createAlias(name, form.name.trim(), input)), `Alias ${form.name} saved.`);
  };
  const weightProblem = form.extraVersion && !(weight >= 0 && weight <= 1) ? 'The weight is a percentage from 0 to 100' : undefined;
  const routingArgs = form.extraVersion ? ['--routing-config', `AdditionalVersionWeights={${form.extraVersion}=${weight}}`] : form.editing ? ['--routing-config', 'AdditionalVersionWeights={}'] : [];
  return (
    <form onSubmit={save} noValidate class="alias-editor card" aria-labelledby="alias-editor-title">
      <h3 id="alias-editor-title">{form.editing ? `Edit alias ${form.editing}` : 'Create alias'}</h3>
      <div class="form-grid">
        <Field label="Alias name" hint="Letters, digits, - and _, not all digits">
          <input value={form.name} disabled={Boolean(form.editing)} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </Field>
        <Field label="Version">
          <select value={form.version} onChange={(e) => setForm({ ...form, version: e.currentTarget.value })}>
            {versions.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </Field>
        <Field label="Alias description"><input value={form.description} onInput={(e) => setForm({ ...form, description: e.currentTarget.value })} /></Field>
        <Field label="Second version (weighted)" hint="Sends a share of the alias's traffic to another published version">
          <select value={form.extraVersion} onChange={(e) => setForm({ ...form, extraVersion: e.currentTarget.value })}>
            <option value="">none</option>
            {versions.filter((v) => v !== '$LATEST').map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </Field>
        {form.extraVersion && (
          <Field label="Weight of the second version (%)" hint={`${form.version} gets the rest`} problem={weightProblem}>
            <input type="number" min={0} max={100} step="any" value={form.weightPercent} onInput={(e) => setForm({ ...form, weightPercent: e.currentTarget.value })} />
          </Field>
        )}
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={action.busy}>{form.editing ? 'Save alias' : 'Create alias'}</button>
        <button type="button" class="button" onClick={() => setForm(undefined)}>Cancel</button>
      </div>
      <ActionStatus action={action} />
      <CliHint command={awsCli('lambda', form.editing ? 'update-alias' : 'create-alias', [
        '--function-name', name, '--name', form.name, '--function-version', form.version, '--description', form.description, ...routingArgs,
      ])} />
    </form>
  );
}

export function VersionsTab({ name, reload }: FunctionTabProps) {
  const [versions, setVersions] = useState<FunctionConfiguration[]>();
  const [aliases, setAliases] = useState<Alias[]>();
  const [loadError, setLoadError] = useState<unknown>();
  const [description, setDescription] = useState('');
  const [aliasForm, setAliasForm] = useState<AliasForm>();
  const load = async () => {
    try {
      const [v, a] = await Promise.all([listVersions(name), listAliases(name)]);
      setVersions(v);
      setAliases(a);
      setLoadError(undefined);
    } catch (failure) {
      setLoadError(failure);
    }
  };
  useEffect(() => { void load(); }, [name]);
  const refresh = async () => { await reload(); await load(); };
  const publish = useAction(refresh);
  const remove = useAction(refresh);
  const versionIds = (versions ?? []).map((v) => v.Version);
  const onPublish = (event: Event) => {
    event.preventDefault();
    void publish.run(async () => {
      const published = await publishVersion(name, description);
      setDescription('');
      return published;
    }, (published) => `Version ${published.Version} published.`);
  };
  return (
    <div class="versions-tab">
      <ErrorBanner error={loadError} />
      <section aria-labelledby="aliases-title">
        <div class="section-head">
          <h2 id="aliases-title">Aliases {aliases && <span class="count">({aliases.length})</span>}</h2>
          <button type="button" class="button" onClick={() => setAliasForm(emptyAlias(versionIds[versionIds.length - 1] ?? '$LATEST'))}>Create alias</button>
        </div>
        {aliasForm && <AliasEditor name={name} form={aliasForm} setForm={setAliasForm} versions={versionIds} done={load} />}
        {aliases && aliases.length === 0 && <p class="empty-inline muted">No aliases. An alias is a stable name (such as live) for a version, and can split traffic between two.</p>}
        {aliases && aliases.length > 0 && (
          <table class="table" aria-label="Aliases">
            <thead><tr><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Routing</th><th scope="col">Description</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {aliases.map((alias) => (
                <tr key={alias.Name}>
                  <td class="mono">{alias.Name}</td>
                  <td>{alias.FunctionVersion}</td>
                  <td>{routingText(alias)}</td>
                  <td>{alias.Description || '–'}</td>
                  <td class="row-actions">
                    <button type="button" class="button small" aria-label={`Edit alias ${alias.Name}`} onClick={() => setAliasForm(formOf(alias))}>Edit</button>
                    <button type="button" class="button small danger" aria-label={`Delete alias ${alias.Name}`} disabled={remove.busy} onClick={() => void remove.run(() => deleteAlias(name, alias.Name), `Alias ${alias.Name} deleted.`)}>Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ActionStatus action={remove} />
        {aliases && aliases.length > 0 && <CliHint label="Copy as CLI: delete an alias" command={awsCli('lambda', 'delete-alias', ['--function-name', name, '--name', aliases[0].Name])} />}
      </section>

      <section aria-labelledby="versions-title">
        <h2 id="versions-title">Versions {versions && <span class="count">({versions.length - 1} published)</span>}</h2>
        <form onSubmit={onPublish} noValidate class="inline-form">
          <Field label="Version description" hint="Optional; a version freezes $LATEST's code and configuration">
            <input value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          </Field>
          <div class="form-actions"><button type="submit" class="button primary" disabled={publish.busy}>Publish new version</button></div>
        </form>
        <ActionStatus action={publish} />
        <CliHint command={awsCli('lambda', 'publish-version', ['--function-name', name, ...(description ? ['--description', description] : [])])} />
        {versions && (
          <table class="table" aria-label="Versions">
            <thead><tr><th scope="col">Version</th><th scope="col">Description</th><th scope="col">Memory</th><th scope="col">Timeout</th><th scope="col">Code</th><th scope="col">Last modified</th></tr></thead>
            <tbody>
              {[...versions].sort(newestFirst).map((v) => (
                <tr key={v.Version}>
                  <td class="mono">{v.Version}</td>
                  <td>{v.Description || '–'}</td>
                  <td>{v.MemorySize} MB</td>
                  <td>{v.Timeout} s</td>
                  <td><span class="mono" title={v.CodeSha256}>{v.CodeSha256.slice(0, 12)}…</span> <span class="muted">{formatBytes(v.CodeSize)}</span></td>
                  <td>{formatDate(v.LastModified)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {versions && <VersionDiff key={versionIds.join(',')} name={name} versions={versionIds} />}
    </div>
  );
}
