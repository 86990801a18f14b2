// The side-by-side diff of any two versions of a function ($LATEST included): configuration
// (GetFunctionConfiguration with a Qualifier) as a table with the changed rows marked, and the
// code (each version's zip from GetFunction's Code.Location) file by file in CodeMirror's
// MergeView, which is imported only when a diff is shown.
import { useEffect, useRef, useState } from 'preact/hooks';
import { getFunctionConfiguration, type FunctionConfiguration } from '../aws/lambda';
import { fetchPackageFiles } from '../aws/versions';
import { awsCli } from '../cli';
import { CliHint } from '../components/CliHint';
import { ErrorBanner } from '../components/ErrorBanner';
import { formatBytes, formatDate } from '../format';
import { cspNonce } from '../session';
import { compareConfigurations, compareFiles, type ConfigurationRow, type FilePair } from './compare';

interface Compared {
  left: FunctionConfiguration;
  right: FunctionConfiguration;
  rows: ConfigurationRow[];
  files: FilePair[];
}

const versionLabel = (version: string) => (version === '$LATEST' ? '$LATEST' : `version ${version}`);

function MergedFile({ pair, leftLabel, rightLabel }: { pair: FilePair; leftLabel: string; rightLabel: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<unknown>();
  const binary = (pair.left && pair.left.text === undefined) || (pair.right && pair.right.text === undefined);
  useEffect(() => {
    if (binary || !host.current) return;
    let destroy: (() => void) | undefined;
    let cancelled = false;
    import('./merge-view').then(({ mountMergeView }) => {
      if (cancelled || !host.current) return;
      destroy = mountMergeView(host.current, { path: pair.path, left: pair.left?.text ?? '', right: pair.right?.text ?? '', leftLabel, rightLabel, nonce: cspNonce });
    }, setError);
    return () => { cancelled = true; destroy?.(); };
  }, [pair, leftLabel, rightLabel, binary]);
  return (
    <section class="file-diff" aria-label={`${pair.path}: ${pair.status}`}>
      <header class="file-diff-head">
        <span class="mono">{pair.path}</span>
        <span class={`pill ${pair.status}`}>{pair.status}</span>
      </header>
      {binary
        ? <p class="muted file-diff-note">Binary file: {pair.left ? formatBytes(pair.left.bytes.length) : 'absent'} → {pair.right ? formatBytes(pair.right.bytes.length) : 'absent'}.</p>
        : (
          <>
            <div class="merge-sides" aria-hidden="true"><span>{leftLabel}</span><span>{rightLabel}</span></div>
            <div class="merge-host" ref={host} />
          </>
        )}
      <ErrorBanner error={error} />
    </section>
  );
}

export function VersionDiff({ name, versions }: { name: string; versions: string[] }) {
  const numbered = versions.filter((v) => v !== '$LATEST').sort((a, b) => Number(a) - Number(b));
  // By default the newest published version against the one before it (or against $LATEST).
  const [left, setLeft] = useState(numbered.length >= 2 ? numbered[numbered.length - 2] : (numbered[0] ?? '$LATEST'));
  const [right, setRight] = useState(numbered.length >= 2 ? numbered[numbered.length - 1] : '$LATEST');
  const [compared, setCompared] = useState<Compared>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const compare = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const [leftConfig, rightConfig, leftFiles, rightFiles] = await Promise.all([
        getFunctionConfiguration(name, left), getFunctionConfiguration(name, right), fetchPackageFiles(name, left), fetchPackageFiles(name, right),
      ]);
      setCompared({ left: leftConfig, right: rightConfig, rows: compareConfigurations(leftConfig, rightConfig), files: compareFiles(leftFiles, rightFiles) });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const select = (label: string, value: string, set: (v: string) => void) => (
    <label class="diff-pick">
      <span>{label}</span>
      <select value={value} onChange={(e) => { set(e.currentTarget.value); setCompared(undefined); }}>
        {versions.map((v) => <option key={v} value={v}>{versionLabel(v)}</option>)}
      </select>
    </label>
  );
  const changedRows = compared?.rows.filter((r) => r.changed).length ?? 0;
  const differing = compared?.files.filter((f) => f.status !== 'unchanged') ?? [];
  const unchanged = compared?.files.filter((f) => f.status === 'unchanged') ?? [];
  const leftLabel = versionLabel(compared?.left.Version ?? left);
  const rightLabel = versionLabel(compared?.right.Version ?? right);
  return (
    <section aria-labelledby="diff-title" class="version-diff">
      <h2 id="diff-title">Compare versions</h2>
      <p class="muted">Code and configuration of any two versions side by side.</p>
      <form class="diff-form" onSubmit={compare}>
        {select('From', left, setLeft)}
        <span aria-hidden="true" class="diff-arrow">→</span>
        {select('To', right, setRight)}
        <button type="submit" class="button primary" disabled={busy}>{busy ? 'Comparing…' : 'Compare'}</button>
      </form>
      <ErrorBanner error={error} />
      {compared && (
        <>
          <h3>Configuration <span class="count">({changedRows === 0 ? 'no changes' : `${changedRows} changed`})</span></h3>
          <table class="table config-diff" aria-label="Configuration differences">
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">{leftLabel} <span class="muted">· {formatDate(compared.left.LastModified)}</span></th>
                <th scope="col">{rightLabel} <span class="muted">· {formatDate(compared.right.LastModified)}</span></th>
              </tr>
            </thead>
            <tbody>
              {compared.rows.map((row) => (
                <tr key={row.label} class={row.changed ? 'changed' : undefined}>
                  <th scope="row">{row.label}{row.changed && <span class="pill changed">changed</span>}</th>
                  <td class="mono">{row.left}</td>
                  <td class="mono">{row.right}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Code <span class="count">({differing.length === 0 ? 'no changes' : `${differing.length} of ${compared.files.length} files differ`})</span></h3>
          {differing.map((pair) => <MergedFile key={`${left}/${right}/${pair.path}`} pair={pair} leftLabel={leftLabel} rightLabel={rightLabel} />)}
          {unchanged.length > 0 && (
            <details class="unchanged-files">
              <summary>{unchanged.length} unchanged file{unchanged.length > 1 ? 's' : ''}</summary>
              <ul>{unchanged.map((f) => <li key={f.path} class="mono">{f.path}</li>)}</ul>
            </details>
          )}
        </>
      )}
      <CliHint command={[
        awsCli('lambda', 'get-function-configuration', ['--function-name', name, '--qualifier', left]),
        awsCli('lambda', 'get-function-configuration', ['--function-name', name, '--qualifier', right]),
      ].join(' && ')} />
    </section>
  );
}
