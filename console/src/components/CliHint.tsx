// The "Copy as CLI" disclosure under an action: the equivalent AWS CLI command and a copy button;
// in a playground sandbox, which keys it runs with (the secret is behind the header's "Show keys").
import { useState } from 'preact/hooks';
import { credentials, inSandbox } from '../session';

/** `keysNote` false for a hint that shows the keys themselves. */
export function CliHint({ command, label = 'Copy as CLI', keysNote = true }: { command: string; label?: string; keysNote?: boolean }) {
  const sandboxKeyId = inSandbox.value && keysNote ? credentials.value?.accessKeyId : undefined;
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
      {sandboxKeyId && <p class="hint">Runs with this sandbox's keys: AWS_ACCESS_KEY_ID={sandboxKeyId}, the secret under “Show keys” at the top.</p>}
    </details>
  );
}
