// The function page's Code tab.
import type { FunctionTabProps } from './tab-props';

export function CodeTab(_props: FunctionTabProps) {
  return <p class="muted">The Code tab is not built yet.</p>;
}
