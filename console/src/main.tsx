// The console's entry: the router over its pages. Pages under /console need keys; without them
// the sign-in form stands in their place and the page opens once signed in.
import { render } from 'preact';
import { LocationProvider, Router, Route } from 'preact-iso';
import './styles.css';
import { signedIn } from './session';
import { resumeAfterReload, resumingSandbox } from './playground/sandbox-session';
import { Layout } from './components/Layout';
import { Landing } from './pages/Landing';
import { SignIn } from './pages/SignIn';
import { FunctionList } from './pages/FunctionList';
import { FunctionPage } from './pages/FunctionPage';
import { CreateFunction } from './pages/CreateFunction';
import { Billing } from './pages/Billing';
import { Invocation } from './pages/Invocation';
import { SharePage } from './pages/SharePage';

function NotFound() {
  return <section><h1>Not found</h1><p>There is no console page here. <a href="/console/functions">Go to functions</a>.</p></section>;
}

/** A console page behind sign-in (while a sandbox's keys are asked for again, a note instead of the form). */
function signedInOnly<P extends object>(Page: (props: P) => preact.JSX.Element) {
  return (props: P) => (signedIn.value ? <Page {...props} /> : resumingSandbox.value ? <p class="muted" role="status">Opening your playground sandbox…</p> : <SignIn />);
}

const Functions = signedInOnly(FunctionList);
const Function = signedInOnly((p: { params: { name: string; tab?: string } }) => <FunctionPage name={decodeURIComponent(p.params.name)} tab={p.params.tab} />);
const Create = signedInOnly(CreateFunction);
const BillingPage = signedInOnly(Billing);
/** A share's page is public: no sign-in. */
const Share = (p: { params: { token: string } }) => <SharePage token={p.params.token} />;
const InvocationPage = signedInOnly((p: { params: { requestId: string } }) => <Invocation requestId={p.params.requestId} />);

function App() {
  return (
    <LocationProvider>
      <Layout>
        <Router>
          <Route path="/" component={Landing} />
          <Route path="/console" component={Functions} />
          <Route path="/console/functions" component={Functions} />
          <Route path="/console/functions/:name/:tab?" component={Function} />
          <Route path="/console/create" component={Create} />
          <Route path="/console/billing" component={BillingPage} />
          <Route path="/console/invocations/:requestId" component={InvocationPage} />
          <Route path="/s/:token" component={Share} />
          <Route default component={NotFound} />
        </Router>
      </Layout>
    </LocationProvider>
  );
}

void resumeAfterReload();
render(<App />, document.getElementById('app')!);
