// The platform's own hosts as this isolate learns them: every host the Worker has answered a
// request on (its API's, its console's, a function URL's path fallback) is one, refused to
// functions' fetch without the operator naming it (docs/SECURITY.md, "The platform's own hosts").
// Per isolate and bounded: an isolate that has served no request (a queue consumer's, a cron's)
// knows none, which is what FAASBOX_EGRESS_DENY is for.
import { readConfig } from '../config';
import { PLATFORM_HOSTS_REMEMBERED_MAX } from '../limits';
import { INTERNAL_AWS_ORIGIN } from './internal-endpoint';

/** Hostnames in order of their last request, oldest first (a Map keeps insertion order). */
const remembered = new Map<string, true>();

/**
 * Remembers the host of `url`, a request this Worker is answering. Names under the function URL
 * domain are left out (that domain is refused whole) and so is the internal endpoint (never a
 * network host), so that neither pushes the Worker's own hosts out of the bound.
 */
export function rememberPlatformHost(env: Env, url: string): void {
  const parsed = new URL(url);
  if (parsed.origin === INTERNAL_AWS_ORIGIN) return;
  const hostname = parsed.hostname.replace(/\.+$/, '');
  const { region, urlDomain } = readConfig(env);
  const urlHosts = `lambda-url.${region}.${urlDomain}`.toLowerCase();
  if (hostname === '' || hostname === urlHosts || hostname.endsWith(`.${urlHosts}`)) return;
  remembered.delete(hostname);
  remembered.set(hostname, true);
  if (remembered.size > PLATFORM_HOSTS_REMEMBERED_MAX) remembered.delete(remembered.keys().next().value!);
}

/** The hosts this isolate has answered requests on, at most PLATFORM_HOSTS_REMEMBERED_MAX, most recent kept. */
export function rememberedPlatformHosts(): string[] {
  return [...remembered.keys()];
}
