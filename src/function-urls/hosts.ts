// Where function URLs live: `<url-id>.lambda-url.<region>.<FAASBOX_URL_DOMAIN>` and the path
// fallback `/lambda-url/<url-id>/...`; the FunctionUrl faasbox reports, and the reverse match.
import { randomChars } from '../records/random';
import { readConfig } from '../config';

/** A url-id: 32 lowercase alphanumerics, as Lambda's. */
export const URL_ID_PATTERN = /^[a-z0-9]{32}$/;

export function newUrlId(): string {
  return randomChars(32, 'abcdefghijklmnopqrstuvwxyz0123456789');
}

/**
 * The FunctionUrl of `urlId`: the scheme and port of the API endpoint that created it (so a local
 * `http://127.0.0.1:8787` gives `http://<id>.lambda-url.us-east-1.localhost:8787/`), the URL host.
 */
export function functionUrlFor(env: Env, apiUrl: string, urlId: string): string {
  const api = new URL(apiUrl);
  return `${api.protocol}//${urlId}.lambda-url.${readConfig(env).region}.${readConfig(env).urlDomain}${api.port ? `:${api.port}` : ''}/`;
}

export interface FunctionUrlRequestTarget {
  /** May be malformed: an unknown id is answered like any other unknown URL. */
  urlId: string;
  /** The path the function sees (`rawPath`), with the fallback's `/lambda-url/<id>` removed. */
  rawPath: string;
  domainName: string;
}

/** The URL request `url` addresses, or undefined for any other (API) request. */
export function matchFunctionUrlRequest(env: Env, url: URL): FunctionUrlRequestTarget | undefined {
  const suffix = `.lambda-url.${readConfig(env).region}.${readConfig(env).urlDomain}`.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  if (hostname.endsWith(suffix)) {
    return { urlId: hostname.slice(0, -suffix.length), rawPath: url.pathname, domainName: hostname };
  }
  const fallback = /^\/lambda-url\/([^/]*)(\/.*)?$/.exec(url.pathname);
  if (fallback) {
    const urlId = fallback[1];
    return { urlId, rawPath: fallback[2] ?? '/', domainName: `${urlId}${suffix}` };
  }
  return undefined;
}
