// The function page's Test tab.
import type { FunctionTabProps } from './tab-props';

export function TestTab(_props: FunctionTabProps) {
  return <p class="muted">The Test tab is not built yet.</p>;
}
