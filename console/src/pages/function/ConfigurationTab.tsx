// The function page's Configuration tab: a side navigation over the sections faasbox supports,
// one section shown at a time, each at #<section> so other pages (the designer) can link to it.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { FunctionTabProps } from './tab-props';
import { General } from './config/General';
import { Environment } from './config/Environment';
import { Triggers } from './config/Triggers';
import { AsyncInvocation } from './config/AsyncInvocation';
import { Concurrency, isThrottled, ThrottledBanner } from './config/Concurrency';
import { FunctionUrl } from './config/FunctionUrl';
import { Permissions } from './config/Permissions';
import { Network } from './config/Network';
import { Tags } from './config/Tags';
import '../../styles/config.css';

export const CONFIGURATION_SECTIONS = [
  { id: 'general', label: 'General configuration', Section: General },
  { id: 'triggers', label: 'Triggers', Section: Triggers },
  { id: 'permissions', label: 'Permissions', Section: Permissions },
  { id: 'destinations', label: 'Destinations and async invocation', Section: AsyncInvocation },
  { id: 'function-url', label: 'Function URL', Section: FunctionUrl },
  { id: 'environment', label: 'Environment variables', Section: Environment },
  { id: 'concurrency', label: 'Concurrency', Section: Concurrency },
  { id: 'network', label: 'Outbound network', Section: Network },
  { id: 'tags', label: 'Tags', Section: Tags },
] as const;

const sectionOfHash = () => CONFIGURATION_SECTIONS.find((s) => `#${s.id}` === window.location.hash) ?? CONFIGURATION_SECTIONS[0];

export function ConfigurationTab(props: FunctionTabProps) {
  // The router pushes links with a hash without a hashchange event; in-page links fire one.
  const { url } = useLocation();
  const [current, setCurrent] = useState(sectionOfHash);
  useEffect(() => setCurrent(sectionOfHash()), [url]);
  useEffect(() => {
    const follow = () => setCurrent(sectionOfHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const { Section } = current;
  return (
    <div class="config-layout">
      <nav class="config-nav" aria-label="Configuration sections">
        <ul>
          {CONFIGURATION_SECTIONS.map((s) => (
            <li key={s.id}>
              <a href={`#${s.id}`} aria-current={s.id === current.id ? 'true' : undefined} class={s.id === current.id ? 'active' : undefined}>
                {s.label}
                {s.id === 'concurrency' && isThrottled(props.details) && <span class="pill danger">Throttled</span>}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="config-section" id={current.id}>
        {isThrottled(props.details) && current.id !== 'concurrency' && <ThrottledBanner />}
        {/* A key per section and function: each form starts from what the API holds. */}
        <Section key={`${props.name}/${current.id}`} {...props} />
      </div>
    </div>
  );
}
