// The function page's Configuration tab.
import type { FunctionTabProps } from './tab-props';

export function ConfigurationTab(_props: FunctionTabProps) {
  return <p class="muted">The Configuration tab is not built yet.</p>;
}
