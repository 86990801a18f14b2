// The functions list: every function of the account (all pages of ListFunctions), searched by
// name and shown 50 at a time, like Lambda's console.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { listAllFunctions, type FunctionConfiguration } from '../aws/lambda';
import { awsCli } from '../cli';
import { CliHint } from '../components/CliHint';
import { ErrorBanner } from '../components/ErrorBanner';
import { formatBytes, formatDate } from '../format';

const PAGE_SIZE = 50;

export function FunctionList() {
  const [functions, setFunctions] = useState<FunctionConfiguration[]>();
  const [error, setError] = useState<unknown>();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);

  useEffect(() => {
    listAllFunctions().then(setFunctions, setError);
  }, []);

  const matching = useMemo(() => {
    const term = search.trim().toLowerCase();
    return (functions ?? []).filter((f) => f.FunctionName.toLowerCase().includes(term)).sort((a, b) => a.FunctionName.localeCompare(b.FunctionName));
  }, [functions, search]);
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const shown = matching.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);

  return (
    <section aria-labelledby="functions-title">
      <div class="page-head">
        <h1 id="functions-title">Functions {functions && <span class="count">({functions.length})</span>}</h1>
        <a class="button primary" href="/console/create">Create function</a>
      </div>
      <div class="toolbar">
        <label class="search">
          <span class="visually-hidden">Filter functions by name</span>
          <input type="search" placeholder="Filter by function name" value={search} onInput={(e) => { setSearch(e.currentTarget.value); setPage(0); }} />
        </label>
        <nav class="pager" aria-label="Pages of functions">
          <button type="button" class="button small" disabled={page === 0} onClick={() => setPage(page - 1)} aria-label="Previous page">‹</button>
          <span>Page {page + 1} of {pages}</span>
          <button type="button" class="button small" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)} aria-label="Next page">›</button>
        </nav>
      </div>
      <ErrorBanner error={error} />
      {!functions && !error && <p class="muted" role="status">Loading functions…</p>}
      {functions && functions.length === 0 && (
        <div class="empty">
          <p>No functions yet.</p>
          <p><a class="button primary" href="/console/create">Create your first function</a> from scratch or from a blueprint.</p>
        </div>
      )}
      {functions && functions.length > 0 && (
        <table class="table" aria-label="Functions">
          <thead>
            <tr><th scope="col">Function name</th><th scope="col">Runtime</th><th scope="col">Memory</th><th scope="col">Timeout</th><th scope="col">Code size</th><th scope="col">Last modified</th></tr>
          </thead>
          <tbody>
            {shown.map((f) => (
              <tr key={f.FunctionArn}>
                <td><a href={`/console/functions/${encodeURIComponent(f.FunctionName)}`}>{f.FunctionName}</a></td>
                <td>{f.Runtime ?? '–'}</td>
                <td>{f.MemorySize} MB</td>
                <td>{f.Timeout} s</td>
                <td>{formatBytes(f.CodeSize)}</td>
                <td>{formatDate(f.LastModified)}</td>
              </tr>
            ))}
            {shown.length === 0 && <tr><td colSpan={6} class="muted">No function matches “{search}”.</td></tr>}
          </tbody>
        </table>
      )}
      <CliHint command={awsCli('lambda', 'list-functions')} />
    </section>
  );
}
