// The landing page at /: what faasbox is, the way into the console, and the CLI quickstart.
import { region, signedIn } from '../session';

export function Landing() {
  const origin = location.origin;
  return (
    <section class="landing">
      <h1>faasbox</h1>
      <p class="lead">AWS Lambda's API on Cloudflare Workers: your Node.js handlers run in QuickJS-WASM sandboxes with a hard memory cap, a timeout and concurrency limits, and every invocation's logs, metrics, traces and cost recorded.</p>
      <p><a class="button primary" href="/console/functions">{signedIn.value ? 'Open the console' : 'Sign in to the console'}</a></p>
      <h2>From the AWS CLI</h2>
      <pre class="code-block">{`export AWS_ACCESS_KEY_ID=<key id> AWS_SECRET_ACCESS_KEY=<secret> AWS_REGION=${region}
aws lambda list-functions --endpoint-url ${origin}`}</pre>
    </section>
  );
}
