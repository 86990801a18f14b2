// The landing page at /: what faasbox is, "Try it now" (a playground sandbox in one click), the
// way into the console with account keys, and the CLI quickstart.
import { credentials, inSandbox, region, signedIn } from '../session';
import { TryItNow } from '../components/TryItNow';

export function Landing() {
  const origin = location.origin;
  const keyId = inSandbox.value ? credentials.value?.accessKeyId : undefined;
  return (
    <section class="landing">
      <h1>faasbox</h1>
      <p class="lead">AWS Lambda's API on Cloudflare Workers: your Node.js handlers run in QuickJS-WASM sandboxes with a hard memory cap, a timeout and concurrency limits, and every invocation's logs, metrics, traces and cost recorded.</p>
      {!inSandbox.value && <TryItNow />}
      <p><a class={inSandbox.value ? 'button primary' : 'button'} href="/console/functions">{inSandbox.value ? 'Open your sandbox' : signedIn.value ? 'Open the console' : 'Sign in with account keys'}</a></p>
      <h2>From the AWS CLI</h2>
      <pre class="code-block">{`export AWS_ACCESS_KEY_ID=${keyId ?? '<key id>'} AWS_SECRET_ACCESS_KEY=<secret${keyId ? ': Show keys, above' : ''}> AWS_REGION=${region}
aws lambda list-functions --endpoint-url ${origin}`}</pre>
    </section>
  );
}
