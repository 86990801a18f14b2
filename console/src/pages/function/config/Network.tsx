// Outbound network: the function's own egress rules (faasbox's analogue of Lambda's VpcConfig,
// docs/SECURITY.md "A function's own rules"), read and written through faasbox's signed
// /api/functions/<fn>/egress. They only narrow the platform's rules, which the page states first.
import { useEffect, useState } from 'preact/hooks';
import { deleteFunctionEgress, getFunctionEgress, putFunctionEgress, type FunctionEgress } from '../../../aws/config';
import { shellQuote } from '../../../cli';
import { CliHint } from '../../../components/CliHint';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { region } from '../../../session';
import type { FunctionTabProps } from '../tab-props';
import { ActionStatus } from './ActionStatus';
import { useAction } from './use-action';

type Mode = FunctionEgress['Mode'];

/** One entry per line; blank lines and surrounding spaces ignored (the API normalises the rest). */
export const entriesOf = (text: string) => text.split('\n').map((line) => line.trim()).filter((line) => line !== '');

/** The signed curl that does what Save does (the AWS CLI has no command for faasbox's own API). */
function curlCommand(name: string, body: object | undefined): string {
  const words = [
    'curl', '--aws-sigv4', `aws:amz:${region}:lambda`, '--user', '$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY',
    '-X', body ? 'PUT' : 'DELETE',
    ...(body ? ['-H', 'content-type: application/json', '--data', JSON.stringify(body)] : []),
    `${location.origin}/api/functions/${encodeURIComponent(name)}/egress`,
  ];
  // The keys stay variables for the shell to fill in: double quotes, not single.
  return words.map((w) => (w.includes('$AWS_') ? `"${w}"` : shellQuote(w))).join(' ');
}

export function Network({ name, reload }: FunctionTabProps) {
  const [loaded, setLoaded] = useState<FunctionEgress>();
  const [loadError, setLoadError] = useState<unknown>();
  const [mode, setMode] = useState<Mode>('deny-list');
  const [allowText, setAllowText] = useState('');
  const [denyText, setDenyText] = useState('');
  const refresh = async () => {
    try {
      const rules = await getFunctionEgress(name);
      setLoaded(rules);
      setMode(rules.Mode);
      setAllowText(rules.Allow.join('\n'));
      setDenyText(rules.Deny.join('\n'));
    } catch (error) {
      setLoadError(error);
    }
  };
  useEffect(() => void refresh(), [name]);
  const action = useAction(async () => { await reload(); await refresh(); });
  const body = { Mode: mode, Allow: mode === 'allow-list' ? entriesOf(allowText) : [], Deny: entriesOf(denyText) };
  const hasOwnRules = loaded !== undefined && (loaded.Mode === 'allow-list' || loaded.Deny.length > 0);
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(() => putFunctionEgress(name, body), 'Egress rules saved.');
  };
  return (
    <form onSubmit={save} noValidate aria-labelledby="network-title">
      <h2 id="network-title">Outbound network</h2>
      <p class="muted">
        What the function's <code>fetch</code> may reach. The platform's rules always come first: loopback, private,
        link-local and metadata addresses and faasbox's own hosts are never reachable. These rules only narrow that
        further. They are part of <code>$LATEST</code>'s configuration: a published version keeps the rules it was published with.
      </p>
      {loadError !== undefined && <ErrorBanner error={loadError} />}
      {loaded === undefined && loadError === undefined && <p class="muted" role="status">Loading…</p>}
      {loaded !== undefined && (
        <>
          <fieldset class="choices">
            <legend>Mode</legend>
            <label class="choice"><input type="radio" name="egress-mode" checked={mode === 'deny-list'} onChange={() => setMode('deny-list')} /> Deny list <span class="hint">Everything the platform allows, except what the deny list names.</span></label>
            <label class="choice"><input type="radio" name="egress-mode" checked={mode === 'allow-list'} onChange={() => setMode('allow-list')} /> Allow list <span class="hint">Only what the allow list names (an empty list: nothing), minus the deny list.</span></label>
          </fieldset>
          <div class="form-grid">
            {mode === 'allow-list' && (
              <label class="field">
                <span>Allow</span>
                <textarea rows={5} value={allowText} onInput={(e) => setAllowText(e.currentTarget.value)} spellcheck={false} aria-describedby="egress-entries-hint" />
              </label>
            )}
            <label class="field">
              <span>Deny</span>
              <textarea rows={5} value={denyText} onInput={(e) => setDenyText(e.currentTarget.value)} spellcheck={false} aria-describedby="egress-entries-hint" />
            </label>
            <span class="hint" id="egress-entries-hint">
              One entry per line, at most 100 per list: a host (<code>api.example.com</code>), every name under a domain
              (<code>*.example.org</code>), an IP address or a CIDR range, each with an optional <code>:port</code>.
            </span>
          </div>
          <div class="form-actions">
            <button type="submit" class="button primary" disabled={action.busy}>{action.busy ? 'Saving…' : 'Save'}</button>
            {hasOwnRules && <button type="button" class="button danger" disabled={action.busy} onClick={() => void action.run(() => deleteFunctionEgress(name), 'Egress rules removed: only the platform\'s rules apply.')}>Remove rules</button>}
          </div>
        </>
      )}
      <ActionStatus action={action} />
      <CliHint label="Copy as curl" command={curlCommand(name, body)} />
    </form>
  );
}
