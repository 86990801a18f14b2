// The "Copy as CLI" disclosure under an action: the equivalent AWS CLI command and a copy button.
import { useState } from 'preact/hooks';

export function CliHint({ command, label = 'Copy as CLI' }: { command: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(command).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <details class="cli-hint">
      <summary>{label}</summary>
      <div class="cli-hint-body">
        <code class="cli-command">{command}</code>
        <button type="button" class="button small" onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>
      </div>
    </details>
  );
}
