// A function's page: its overview (the designer) above tabs for code, test, monitor,
// configuration, and aliases and versions, each at its own URL (/console/functions/<name>/<tab>).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { getFunction, type FunctionDetails } from '../aws/lambda';
import { ErrorBanner } from '../components/ErrorBanner';
import { formatDate } from '../format';
import { CodeTab } from './function/CodeTab';
import { TestTab } from './function/TestTab';
import { MonitorTab } from './function/MonitorTab';
import { ConfigurationTab } from './function/ConfigurationTab';
import { VersionsTab } from './function/VersionsTab';
import { Designer } from './function/Designer';
import type { FunctionTabProps } from './function/tab-props';
import { LogDock } from '../logs/LogDock';
import { functionLogGroup } from '../aws/logs';
import { ShareButton } from '../components/ShareDialog';

const TABS = [
  { id: 'code', label: 'Code', Tab: CodeTab },
  { id: 'test', label: 'Test', Tab: TestTab },
  { id: 'monitor', label: 'Monitor', Tab: MonitorTab },
  { id: 'configuration', label: 'Configuration', Tab: ConfigurationTab },
  { id: 'versions', label: 'Aliases and versions', Tab: VersionsTab },
] as const;

export function FunctionPage({ name, tab }: { name: string; tab?: string }) {
  const [details, setDetails] = useState<FunctionDetails>();
  const [error, setError] = useState<unknown>();
  const reload = useCallback(async () => {
    try {
      setDetails(await getFunction(name));
      setError(undefined);
    } catch (failure) {
      setError(failure);
    }
  }, [name]);
  useEffect(() => { void reload(); }, [reload]);

  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
  if (error && !details) return <section><h1>{name}</h1><ErrorBanner error={error} /><p><a href="/console/functions">Back to functions</a></p></section>;
  if (!details) return <p class="muted" role="status">Loading {name}…</p>;
  const props: FunctionTabProps = { name, details, reload };
  const config = details.Configuration;
  return (
    <section aria-labelledby="function-title">
      <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/console/functions">Functions</a> › <span>{name}</span></nav>
      <div class="page-head">
        <h1 id="function-title">{name}</h1>
        <span class="muted">{config.Runtime} · {config.MemorySize} MB · {config.Timeout} s · modified {formatDate(config.LastModified)}</span>
        <ShareButton name={name} />
      </div>
      <ErrorBanner error={error} />
      <Designer {...props} />
      <div class="tabs" role="tablist" aria-label="Function">
        {TABS.map((t) => (
          <a key={t.id} role="tab" id={`tab-${t.id}`} aria-selected={t.id === current.id} aria-controls="tabpanel" href={`/console/functions/${encodeURIComponent(name)}/${t.id}`} class={t.id === current.id ? 'tab active' : 'tab'}>{t.label}</a>
        ))}
      </div>
      <div id="tabpanel" role="tabpanel" aria-labelledby={`tab-${current.id}`} class="tabpanel">
        <current.Tab {...props} />
      </div>
      <LogDock functionName={name} logGroup={functionLogGroup(name, config)} />
    </section>
  );
}
