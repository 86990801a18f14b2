// The frame of every console page: the top bar (product, navigation, account, sign out; in a
// playground sandbox its strip below), and the page's main region.
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { credentials, inSandbox, signOut } from '../session';
import { SandboxBar, SandboxEnded } from './SandboxBar';

export function Layout({ children }: { children: ComponentChildren }) {
  const { url, route } = useLocation();
  const keys = credentials.value;
  const link = (href: string, text: string) => (
    <a href={href} class={url === href || url.startsWith(`${href}/`) ? 'active' : undefined} aria-current={url === href ? 'page' : undefined}>{text}</a>
  );
  return (
    <>
      <header class="topbar">
        <a href="/" class="brand" aria-label="faasbox home"><img src="/favicon.svg" alt="" width="22" height="22" /> faasbox</a>
        {keys && (
          <nav aria-label="Console">
            {link('/console/functions', 'Functions')}
            {link('/console/billing', 'Billing')}
          </nav>
        )}
        <div class="topbar-end">
          {keys && inSandbox.value ? (
            <span class="account" title={`Access key ${keys.accessKeyId}`}>Sandbox {keys.accountId}</span>
          ) : keys ? (
            <>
              <span class="account" title={`Access key ${keys.accessKeyId}`}>Account {keys.accountId}</span>
              <button type="button" class="button small" onClick={() => { signOut(); route('/console'); }}>Sign out</button>
            </>
          ) : (
            <a href="/console" class="button small">Sign in</a>
          )}
        </div>
      </header>
      {inSandbox.value && <SandboxBar />}
      {/* The ended notice until the visitor signs in again or starts a new sandbox. */}
      <main id="main">{!keys && <SandboxEnded withButton={url !== '/'} />}{children}</main>
    </>
  );
}
