// The function page's Code tab (Lambda's "Code source"): the deployed bundle's files in a tree
// with new/rename/delete, a CodeMirror editor loaded lazily, unsaved-changes markers, Deploy
// (zip in the browser -> UpdateFunctionCode; Ctrl/Cmd+S), Test (one invoke, its init error marked
// at its line), upload and download of the zip, and read-only above 3 MB as Lambda's console.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Text } from '@codemirror/state';
import type { FunctionTabProps } from './tab-props';
import type { CodeEditor } from '../../editor/code-editor';
import {
  INLINE_EDIT_MAX_BYTES, downloadDeployedZip, handlerFile, invalidPathReason, invokeOnce, moduleKindOf, unzipBundle,
  updateFunctionCode, zipBundle, type BundleFile,
} from '../../aws/code';
import { clearRuntimeError, markRuntimeError, runtimeErrorMarks } from '../../editor/runtime-error';
import { ErrorBanner } from '../../components/ErrorBanner';
import { CliHint } from '../../components/CliHint';
import { awsCli } from '../../cli';
import { cspNonce } from '../../session';
import { formatBytes } from '../../format';
import '../../styles/code.css';

/** A working copy: the files as edited, beside the bundle they came from. */
interface Workspace {
  files: BundleFile[];
  /** The deployed bundle's files by path: what "unsaved" compares against. */
  deployed: ReadonlyMap<string, BundleFile>;
  /** A .zip the user loaded, deployed byte for byte while its files are unedited. */
  upload?: { name: string; bytes: Uint8Array; pristine: boolean };
  /** The CodeSha256 the deployed files belong to. */
  codeSha256: string;
}

/** Working copies kept across tab switches in this page session (edits survive a look at Test). */
const keptWorkspaces = new Map<string, Workspace>();

type Status = { kind: 'ok' | 'info' | 'error'; text: string } | undefined;

function sameContent(a: BundleFile, b: BundleFile | undefined): boolean {
  if (!b) return false;
  if ('text' in a) return 'text' in b && a.text === b.text;
  if (!('bytes' in b) || a.bytes.length !== b.bytes.length) return false;
  return a.bytes.every((byte, i) => byte === b.bytes[i]);
}

function sizeOf(file: BundleFile): number {
  return 'text' in file ? new TextEncoder().encode(file.text).length : file.bytes.length;
}

function workspaceOf(files: BundleFile[], codeSha256: string): Workspace {
  return { files, deployed: new Map(files.map((f) => [f.path, f])), codeSha256 };
}

/** Paths as a tree of folders, folders first, for the file list. */
interface Folder { name: string; path: string; folders: Folder[]; files: string[] }
function folderTree(paths: readonly string[]): Folder {
  const root: Folder = { name: '', path: '', folders: [], files: [] };
  for (const path of paths) {
    const parts = path.split('/');
    let folder = root;
    for (const part of parts.slice(0, -1)) {
      const folderPath = folder.path ? `${folder.path}/${part}` : part;
      let next = folder.folders.find((f) => f.name === part);
      if (!next) folder.folders.push((next = { name: part, path: folderPath, folders: [], files: [] }));
      folder = next;
    }
    folder.files.push(path);
  }
  const sort = (folder: Folder): void => {
    folder.folders.sort((a, b) => a.name.localeCompare(b.name));
    folder.files.sort((a, b) => a.localeCompare(b));
    folder.folders.forEach(sort);
  };
  sort(root);
  return root;
}

export function CodeTab({ name, details, reload }: FunctionTabProps) {
  const config = details.Configuration;
  const [workspace, setWorkspace] = useState<Workspace | undefined>(() => {
    const kept = keptWorkspaces.get(name);
    return kept && kept.codeSha256 === config.CodeSha256 ? kept : undefined;
  });
  const [loadError, setLoadError] = useState<unknown>();
  const [selected, setSelected] = useState<string>();
  const [editor, setEditor] = useState<CodeEditor>();
  const [editorError, setEditorError] = useState<unknown>();
  const [busy, setBusy] = useState<'deploy' | 'test' | 'download'>();
  const [status, setStatus] = useState<Status>();
  const [actionError, setActionError] = useState<unknown>();
  const [form, setForm] = useState<{ kind: 'new' | 'rename' | 'delete'; value: string }>();
  const editorHost = useRef<HTMLDivElement>(null);
  const uploadInput = useRef<HTMLInputElement>(null);
  const workspaceRef = useRef(workspace);
  workspaceRef.current = workspace;

  const files = workspace?.files ?? [];
  const paths = useMemo(() => files.map((f) => f.path), [files]);
  const handlerPath = handlerFile(config.Handler, paths);
  const readOnly = config.CodeSize > INLINE_EDIT_MAX_BYTES || (workspace?.upload !== undefined && workspace.upload.bytes.length > INLINE_EDIT_MAX_BYTES);
  const changedPaths = useMemo(() => new Set(files.filter((f) => !sameContent(f, workspace?.deployed.get(f.path))).map((f) => f.path)), [files, workspace?.deployed]);
  const removedPaths = workspace ? [...workspace.deployed.keys()].filter((p) => !paths.includes(p)) : [];
  const unsaved = changedPaths.size > 0 || removedPaths.length > 0;
  const selectedFile = files.find((f) => f.path === selected);
  const mark = runtimeErrorMarks.value.get(name);

  useEffect(() => {
    if (workspace) keptWorkspaces.set(name, workspace);
  }, [name, workspace]);

  // The deployed bundle, once per function (after Deploy the working copy already is the bundle).
  useEffect(() => {
    if (workspaceRef.current) return;
    let cancelled = false;
    downloadDeployedZip(name, details.Code?.Location)
      .then((zip) => { if (!cancelled) setWorkspace(workspaceOf(unzipBundle(zip), config.CodeSha256)); })
      .catch((failure: unknown) => { if (!cancelled) setLoadError(failure); });
    return () => { cancelled = true; };
  }, [name]);

  // Open the handler's file first (Configuration.Handler: index.handler -> index.js or index.mjs).
  useEffect(() => {
    if (!workspace || (selected && paths.includes(selected))) return;
    setSelected(handlerPath ?? files.find((f) => 'text' in f)?.path ?? paths[0]);
  }, [workspace, paths]);

  // CodeMirror, imported lazily: its own chunk, loaded when the Code tab first shows.
  useEffect(() => {
    const host = editorHost.current;
    if (!host) return;
    let created: CodeEditor | undefined;
    let cancelled = false;
    import('../../editor/code-editor')
      .then(({ createCodeEditor }) => {
        if (cancelled) return;
        created = createCodeEditor({
          parent: host,
          nonce: cspNonce,
          readOnly,
          moduleKindOf: (path) => moduleKindOf(path, (p) => {
            const file = workspaceRef.current?.files.find((f) => f.path === p);
            return file && 'text' in file ? file.text : undefined;
          }),
          onChange: (path: string, doc: Text) => {
            const text = doc.toString();
            setWorkspace((ws) => ws && {
              ...ws,
              files: ws.files.map((f) => (f.path === path ? { path, text } : f)),
              upload: ws.upload && { ...ws.upload, pristine: false },
            });
          },
        });
        setEditor(created);
      })
      .catch((failure: unknown) => setEditorError(failure));
    return () => {
      cancelled = true;
      created?.destroy();
      setEditor(undefined);
    };
  }, [readOnly]);

  // The file shown follows the selection.
  useEffect(() => {
    if (editor && selectedFile && 'text' in selectedFile) editor.open(selectedFile.path, selectedFile.text);
  }, [editor, selectedFile?.path]);

  // The sandbox's error (from this tab's Test, or the Test tab through markRuntimeError) at its line.
  useEffect(() => {
    if (!editor) return;
    const file = mark && files.find((f) => f.path === mark.path);
    if (!mark || !file || !('text' in file)) {
      editor.clearMarks();
      return;
    }
    editor.mark(file.path, file.text, { line: mark.line, column: mark.column, message: `${mark.errorType}: ${mark.errorMessage}`, severity: mark.initFailure ? 'error' : 'warning' });
    setSelected(file.path);
  }, [editor, mark]);

  const deploy = async () => {
    if (!workspace || busy) return;
    const upload = workspace.upload?.pristine ? workspace.upload : undefined;
    if (readOnly && !upload) return;
    if (!unsaved) {
      setStatus({ kind: 'info', text: 'No changes to deploy.' });
      return;
    }
    setBusy('deploy');
    setActionError(undefined);
    setStatus({ kind: 'info', text: 'Deploying…' });
    try {
      const deployedFiles = workspace.files.map((f): BundleFile => ('text' in f ? { path: f.path, text: editor?.text(f.path) ?? f.text } : f));
      const zip = upload?.bytes ?? zipBundle(deployedFiles);
      const updated = await updateFunctionCode(name, zip);
      clearRuntimeError(name);
      const next = workspaceOf(deployedFiles, updated.CodeSha256);
      workspaceRef.current = next;
      setWorkspace(next);
      setStatus({ kind: 'ok', text: `Deployed ${deployedFiles.length} file${deployedFiles.length === 1 ? '' : 's'} (${formatBytes(updated.CodeSize)} zip, CodeSha256 ${updated.CodeSha256}). Press Test to run it.` });
      await reload();
    } catch (failure) {
      setStatus(undefined);
      setActionError(failure);
    } finally {
      setBusy(undefined);
    }
  };
  const deployRef = useRef(deploy);
  deployRef.current = deploy;

  // Ctrl+S / Cmd+S deploys, as in Lambda's editor, wherever the focus is on this tab.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        void deployRef.current();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const test = async () => {
    if (busy) return;
    setBusy('test');
    setActionError(undefined);
    try {
      const answer = await invokeOnce(name);
      const found = markRuntimeError(name, answer.error);
      if (!answer.functionError) setStatus({ kind: 'ok', text: `Test succeeded with an empty event {}: ${answer.payload.slice(0, 300)}` });
      // A marked error shows in its own banner, with a link to its line.
      else setStatus(found ? undefined : { kind: 'error', text: `Test failed: ${answer.error ? `${answer.error.errorType}: ${answer.error.errorMessage}` : answer.payload}` });
    } catch (failure) {
      setActionError(failure);
    } finally {
      setBusy(undefined);
    }
  };

  const download = async () => {
    setBusy('download');
    setActionError(undefined);
    try {
      const zip = await downloadDeployedZip(name);
      const url = URL.createObjectURL(new Blob([zip], { type: 'application/zip' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${name}.zip`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (failure) {
      setActionError(failure);
    } finally {
      setBusy(undefined);
    }
  };

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setActionError(undefined);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const loaded = unzipBundle(bytes);
      if (loaded.length === 0) throw new Error(`${file.name} holds no files.`);
      editor?.clear();
      setSelected(undefined);
      setWorkspace((ws) => ws && { ...ws, files: loaded, upload: { name: file.name, bytes, pristine: true } });
      setStatus({ kind: 'info', text: `Loaded ${file.name} (${formatBytes(bytes.length)}, ${loaded.length} file${loaded.length === 1 ? '' : 's'}). Deploy to make it the function's code.` });
    } catch (failure) {
      setActionError(failure instanceof Error && !('code' in failure) ? new Error(`Could not unzip ${file.name}: ${failure.message}`) : failure);
    } finally {
      if (uploadInput.current) uploadInput.current.value = '';
    }
  };

  const editFiles = (change: (files: BundleFile[]) => BundleFile[]) =>
    setWorkspace((ws) => ws && { ...ws, files: change(ws.files), upload: ws.upload && { ...ws.upload, pristine: false } });

  const formProblem = form && form.kind !== 'delete' ? invalidPathReason(form.value, form.kind === 'rename' ? paths.filter((p) => p !== selected) : paths) : undefined;
  const submitForm = (event: Event) => {
    event.preventDefault();
    if (!form) return;
    if (form.kind === 'delete') {
      if (selected) {
        editor?.remove(selected);
        editFiles((fs) => fs.filter((f) => f.path !== selected));
        setSelected(undefined);
      }
    } else if (formProblem) {
      return;
    } else if (form.kind === 'new') {
      editFiles((fs) => [...fs, { path: form.value, text: '' }].sort((a, b) => a.path.localeCompare(b.path)));
      setSelected(form.value);
      setTimeout(() => editor?.focus(), 0);
    } else if (selected && form.value !== selected) {
      const from = selected;
      editor?.rename(from, form.value);
      editFiles((fs) => fs.map((f) => (f.path === from ? { ...f, path: form.value } : f)).sort((a, b) => a.path.localeCompare(b.path)));
      setSelected(form.value);
    }
    setForm(undefined);
  };

  const unzippedBytes = files.reduce((sum, f) => sum + sizeOf(f), 0);
  const canEdit = !readOnly && workspace !== undefined;

  const renderFolder = (folder: Folder, depth: number): preact.JSX.Element[] => [
    ...folder.folders.map((sub) => (
      <li key={`d:${sub.path}`}>
        <span class="code-folder" style={{ paddingLeft: `${depth * 14 + 10}px` }}>{sub.name}/</span>
        <ul>{renderFolder(sub, depth + 1)}</ul>
      </li>
    )),
    ...folder.files.map((path) => {
      const changed = changedPaths.has(path);
      const base = path.slice(path.lastIndexOf('/') + 1);
      return (
        <li key={`f:${path}`}>
          <button type="button" class={path === selected ? 'code-file selected' : 'code-file'} style={{ paddingLeft: `${depth * 14 + 10}px` }} aria-current={path === selected ? 'true' : undefined} title={path} onClick={() => { setSelected(path); setForm(undefined); }}>
            <span class="code-file-name">{base}</span>
            {path === handlerPath && <span class="code-badge">handler</span>}
            {changed && <span class="code-dirty" aria-hidden="true">●</span>}
            <span class="visually-hidden">{path}{changed ? ' (unsaved changes)' : ''}</span>
          </button>
        </li>
      );
    }),
  ];

  return (
    <div class="code-tab">
      <div class="code-head">
        <div>
          <h2 class="code-title">Code source</h2>
          <div class="muted code-facts">
            <span>Handler <code>{config.Handler ?? '—'}</code>{handlerPath ? <> in <code>{handlerPath}</code></> : workspace ? <strong class="code-warning"> (no {(config.Handler ?? '').split('.')[0]}.js or .mjs in the bundle)</strong> : null}</span>
            <span>Deployed package {formatBytes(config.CodeSize)} zipped</span>
            {workspace && <span>{files.length} file{files.length === 1 ? '' : 's'}, {formatBytes(unzippedBytes)} in the editor</span>}
            {unsaved && <span class="code-unsaved" role="status"><span aria-hidden="true">● </span>Unsaved changes</span>}
          </div>
        </div>
        <div class="code-actions">
          <button type="button" class="button" onClick={() => uploadInput.current?.click()} disabled={!workspace}>Upload .zip</button>
          <input ref={uploadInput} type="file" accept=".zip,application/zip" hidden aria-label="Zip file to upload" onChange={(e) => void upload((e.currentTarget as HTMLInputElement).files?.[0])} />
          <button type="button" class="button" onClick={() => void download()} disabled={busy !== undefined}>{busy === 'download' ? 'Downloading…' : 'Download .zip'}</button>
          <button type="button" class="button" onClick={() => void test()} disabled={busy !== undefined} title="Invoke once with an empty event; the Test tab has saved events">{busy === 'test' ? 'Testing…' : 'Test'}</button>
          <button type="button" class="button primary" onClick={() => void deploy()} disabled={busy !== undefined || !unsaved || (readOnly && !workspace?.upload?.pristine)} aria-keyshortcuts="Control+S Meta+S" title="Deploy (Ctrl+S / ⌘S)">
            {busy === 'deploy' ? 'Deploying…' : 'Deploy'}
          </button>
        </div>
      </div>

      {readOnly && <div class="banner info" role="note">The deployment package is larger than 3 MB ({formatBytes(Math.max(config.CodeSize, workspace?.upload?.bytes.length ?? 0))}), so the editor is read only, as in Lambda's console. Upload a .zip or use the CLI to change the code.</div>}
      {status && <div class={`banner ${status.kind === 'error' ? 'error' : status.kind === 'ok' ? 'ok' : 'info'}`} role={status.kind === 'error' ? 'alert' : 'status'}>{status.text}</div>}
      <ErrorBanner error={actionError} />
      <ErrorBanner error={loadError} />
      <ErrorBanner error={editorError} />
      {mark && (
        <div class={`banner ${mark.initFailure ? 'error' : 'warn'} code-runtime-error`} role="alert">
          <strong>{mark.errorType}</strong> {mark.initFailure ? 'on the last invoke' : 'thrown on the last invoke'} at <button type="button" class="link-button" onClick={() => setSelected(mark.path)}>{mark.path}:{mark.line}</button>
          <div class="mono code-runtime-message">{mark.errorMessage}</div>
        </div>
      )}

      <div class="code-layout">
        <section class="code-tree" aria-label="Files">
          <div class="code-tree-actions">
            <button type="button" class="button small" disabled={!canEdit} onClick={() => setForm({ kind: 'new', value: selected?.includes('/') ? `${selected.slice(0, selected.lastIndexOf('/') + 1)}` : '' })}>New file</button>
            <button type="button" class="button small" disabled={!canEdit || !selected} onClick={() => setForm({ kind: 'rename', value: selected ?? '' })}>Rename</button>
            <button type="button" class="button small danger" disabled={!canEdit || !selected} onClick={() => setForm({ kind: 'delete', value: selected ?? '' })}>Delete</button>
          </div>
          {form && (
            <form class="code-file-form" onSubmit={submitForm} onKeyDown={(e) => { if (e.key === 'Escape') setForm(undefined); }}>
              {form.kind === 'delete' ? (
                <p>Delete <code>{form.value}</code>?</p>
              ) : (
                <label>
                  {form.kind === 'new' ? 'New file name' : `Rename ${selected ?? ''} to`}
                  <input type="text" value={form.value} autoFocus spellcheck={false} aria-invalid={formProblem ? 'true' : undefined} aria-describedby="code-file-problem" onInput={(e) => setForm({ ...form, value: (e.currentTarget as HTMLInputElement).value })} />
                  <span id="code-file-problem" class="hint">{form.value ? formProblem ?? '' : 'A path such as lib/util.js'}</span>
                </label>
              )}
              <div class="code-form-buttons">
                <button type="submit" class={form.kind === 'delete' ? 'button small danger' : 'button small primary'} disabled={form.kind !== 'delete' && formProblem !== undefined}>{form.kind === 'new' ? 'Create' : form.kind === 'rename' ? 'Rename' : 'Delete'}</button>
                <button type="button" class="button small" onClick={() => setForm(undefined)}>Cancel</button>
              </div>
            </form>
          )}
          {workspace ? <ul class="code-files" aria-label="Files in the bundle">{renderFolder(folderTree(paths), 0)}</ul> : !loadError && <p class="muted" role="status">Loading the deployed code…</p>}
          {removedPaths.length > 0 && <p class="hint">Deleted, not deployed yet: {removedPaths.join(', ')}</p>}
        </section>
        <div class="code-editor-pane">
          <div class="code-editor-bar muted">
            <span class="mono">{selected ?? ''}</span>
            {selectedFile && changedPaths.has(selectedFile.path) && <span class="code-unsaved-file"> ● unsaved</span>}
            {readOnly && <span> · read only</span>}
          </div>
          {selectedFile && 'bytes' in selectedFile && <p class="code-binary muted">Binary file, {formatBytes(selectedFile.bytes.length)}: kept in the bundle as it is, not editable here.</p>}
          <div ref={editorHost} class={selectedFile && 'text' in selectedFile ? 'code-editor' : 'code-editor hidden'} />
          {!editor && !editorError && <p class="muted code-editor-loading" role="status">Loading the editor…</p>}
        </div>
      </div>

      <CliHint command={awsCli('lambda', 'update-function-code', ['--function-name', name, '--zip-file', 'fileb://function.zip'])} label="Copy as CLI (Deploy)" />
      <CliHint command={awsCli('lambda', 'get-function', ['--function-name', name, '--query', 'Code.Location', '--output', 'text'])} label="Copy as CLI (download link)" />
    </div>
  );
}
