// The function page's Monitor tab.
import type { FunctionTabProps } from './tab-props';

export function MonitorTab(_props: FunctionTabProps) {
  return <p class="muted">The Monitor tab is not built yet.</p>;
}
