// Sign in with an access key pair: checked by one signed call (GET /api/caller) before it is kept
// in this tab; wrong keys get the API's own message.
import { useState } from 'preact/hooks';
import { restJson } from '../aws/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { rememberCredentials } from '../session';

export function SignIn() {
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecret] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const keys = { accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim(), accountId: '' };
    try {
      const caller = await restJson<{ Account: string }>('GET', '/api/caller', undefined, keys);
      rememberCredentials({ ...keys, accountId: caller.Account });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="signin card" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to the faasbox console</h1>
      <p class="muted">
        Use an access key pair: the local admin's from <code>.dev.vars</code> (<code>npm start</code> prints it), or any
        account's. The keys stay in this tab and sign each request; they are never stored in a cookie or sent as such.
      </p>
      <form onSubmit={submit}>
        <label>
          Access key ID
          <input name="accessKeyId" autocomplete="username" required value={accessKeyId} onInput={(e) => setAccessKeyId(e.currentTarget.value)} />
        </label>
        <label>
          Secret access key
          <input name="secretAccessKey" type="password" autocomplete="current-password" required value={secretAccessKey} onInput={(e) => setSecret(e.currentTarget.value)} />
        </label>
        <ErrorBanner error={error} />
        <button type="submit" class="button primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </section>
  );
}
