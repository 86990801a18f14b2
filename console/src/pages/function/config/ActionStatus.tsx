// What an action came to: the API's refusal as it worded it, or a short line saying it was saved.
import { ErrorBanner } from '../../../components/ErrorBanner';
import type { Action } from './use-action';

export function ActionStatus({ action }: { action: Action }) {
  if (action.error) return <ErrorBanner error={action.error} />;
  return action.done ? <div class="banner ok" role="status">{action.done}</div> : null;
}

/** A form field: its label, the control, a hint, and the problem the API would refuse it for. */
export function Field({ label, hint, problem, children }: { label: string; hint?: string; problem?: string; children: preact.ComponentChildren }) {
  return (
    <label class={problem ? 'field invalid' : 'field'}>
      <span>{label}</span>
      {children}
      {hint && <span class="hint">{hint}</span>}
      {problem && <span class="field-problem">{problem}</span>}
    </label>
  );
}
