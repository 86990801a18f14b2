// The function page's Versions tab.
import type { FunctionTabProps } from './tab-props';

export function VersionsTab(_props: FunctionTabProps) {
  return <p class="muted">The Versions tab is not built yet.</p>;
}
