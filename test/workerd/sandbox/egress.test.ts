// Egress rules through real invocations (the Lambda API in workerd): every forbidden address form
// is refused in the guest with faasbox's TypeError, redirects are checked at every hop, the
// operator's allow list (the local HTTP target, vitest.config.ts) and public names get through,
// and a refusal does not spend the invocation's fetch budget.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { FETCH_MAX_REQUESTS_PER_INVOCATION } from '../../../src/limits';

/** Fetches each of `event.urls` in turn and reports what the guest saw. */
const FETCHER = `exports.handler = async (event) => {
  const seen = [];
  for (const url of event.urls) {
    try {
      const response = await fetch(url, event.init);
      const text = await response.text();
      seen.push({ status: response.status, url: response.url, redirected: response.redirected, json: text.startsWith('{') ? JSON.parse(text) : undefined });
    } catch (error) {
      seen.push({ error: error.name + ': ' + error.message });
    }
  }
  return seen;
};`;

interface Seen { status?: number; url?: string; redirected?: boolean; json?: { url: string; headers: Record<string, string> }; error?: string }

let tenant: Tenant;
const target = () => inject('httpTargetUrl');

// As long as a test may take (vitest.config.ts's testTimeout): a deploy on a busy machine is slow.
beforeAll(async () => {
  tenant = await createTenant();
  await deploy(tenant, 'fetcher', FETCHER);
}, 30_000);

async function fetchAll(urls: string[], init?: RequestInit): Promise<Seen[]> {
  const response = await tenant.send('POST', '/2015-03-31/functions/fetcher/invocations', { urls, init });
  expect(response.status).toBe(200);
  const seen = (await response.json()) as Seen[];
  expect(seen).toHaveLength(urls.length);
  return seen;
}

const refused = (host: string, what: string) => `TypeError: faasbox: fetch to ${host} refused: ${what} are not reachable from functions`;

/** [URL as the guest writes it, host as the refusal names it, why]. */
const FORBIDDEN: [string, string, string][] = [
  // Loopback, in every form the URL parser turns into 127.0.0.1 or ::1.
  ['http://127.0.0.1/', '127.0.0.1', 'loopback addresses'],
  ['http://127.0.0.1:8787/cdn-cgi/handler/scheduled?cron=*+*+*+*+*', '127.0.0.1', 'loopback addresses'],
  ['http://127.1/', '127.0.0.1', 'loopback addresses'],
  ['http://2130706433/', '127.0.0.1', 'loopback addresses'],
  ['http://0177.0.0.1/', '127.0.0.1', 'loopback addresses'],
  ['http://0x7f.1/', '127.0.0.1', 'loopback addresses'],
  ['http://0x7f000001/', '127.0.0.1', 'loopback addresses'],
  ['http://127.0.0.1./', '127.0.0.1', 'loopback addresses'],
  ['http://%31%32%37.0.0.1/', '127.0.0.1', 'loopback addresses'],
  ['http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/', '127.0.0.1', 'loopback addresses'],
  ['http://127.255.255.254/', '127.255.255.254', 'loopback addresses'],
  ['http://[::1]/', '[::1]', 'loopback addresses'],
  ['http://[0:0:0:0:0:0:0:1]:8787/', '[::1]', 'loopback addresses'],
  ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]', 'loopback addresses'],
  ['http://[::ffff:7f00:1]/', '[::ffff:7f00:1]', 'loopback addresses'],
  ['http://[::127.0.0.1]/', '[::7f00:1]', 'loopback addresses'],
  ['http://[64:ff9b::127.0.0.1]/', '[64:ff9b::7f00:1]', 'loopback addresses'],
  ['http://[2002:7f00:1::]/', '[2002:7f00:1::]', 'loopback addresses'],
  // The allowed HTTP target's host on another port: an allow entry with a port allows that port only.
  ['http://127.0.0.1:1/', '127.0.0.1', 'loopback addresses'],
  // Names that are or end in localhost, whatever their case, trailing dot or IDNA form.
  ['http://localhost/', 'localhost', 'localhost names'],
  ['http://LOCALHOST./', 'localhost', 'localhost names'],
  ['http://foo.localhost:8787/', 'foo.localhost', 'localhost names'],
  ['https://a.b.localhost/', 'a.b.localhost', 'localhost names'],
  ['http://\u24dbocalhost/', 'localhost', 'localhost names'],
  // Unspecified (Linux connects 0.0.0.0 to loopback).
  ['http://0.0.0.0/', '0.0.0.0', 'unspecified addresses'],
  ['http://0/', '0.0.0.0', 'unspecified addresses'],
  ['http://[::]/', '[::]', 'unspecified addresses'],
  // Private: RFC 1918, carrier-grade NAT, unique local IPv6, and their mapped forms.
  ['http://10.0.0.1/', '10.0.0.1', 'private addresses'],
  ['http://172.16.0.1/', '172.16.0.1', 'private addresses'],
  ['http://172.31.255.255/', '172.31.255.255', 'private addresses'],
  ['http://192.168.1.1/', '192.168.1.1', 'private addresses'],
  ['http://3232235777/', '192.168.1.1', 'private addresses'],
  ['http://100.64.0.1/', '100.64.0.1', 'private addresses'],
  ['http://100.127.255.255/', '100.127.255.255', 'private addresses'],
  ['http://[fc00::1]/', '[fc00::1]', 'private addresses'],
  ['http://[fd12:3456::1]/', '[fd12:3456::1]', 'private addresses'],
  ['http://[::ffff:10.0.0.1]/', '[::ffff:a00:1]', 'private addresses'],
  // Link-local.
  ['http://169.254.1.1/', '169.254.1.1', 'link-local addresses'],
  ['http://[fe80::1]/', '[fe80::1]', 'link-local addresses'],
  ['http://[febf::1]/', '[febf::1]', 'link-local addresses'],
  // Cloud metadata, by address (in every form) and by name.
  ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', 'cloud metadata addresses'],
  ['http://0xa9fea9fe/', '169.254.169.254', 'cloud metadata addresses'],
  ['http://2852039166/', '169.254.169.254', 'cloud metadata addresses'],
  ['http://[::ffff:169.254.169.254]/', '[::ffff:a9fe:a9fe]', 'cloud metadata addresses'],
  ['http://[fd00:ec2::254]/', '[fd00:ec2::254]', 'cloud metadata addresses'],
  ['http://169.254.170.2/v2/credentials', '169.254.170.2', 'cloud metadata addresses'],
  ['http://100.100.100.200/', '100.100.100.200', 'cloud metadata addresses'],
  ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal', 'cloud metadata addresses'],
  ['http://Metadata.Google.Internal./', 'metadata.google.internal', 'cloud metadata addresses'],
  // Multicast, broadcast, reserved.
  ['http://224.0.0.1/', '224.0.0.1', 'multicast addresses'],
  ['http://239.255.255.250/', '239.255.255.250', 'multicast addresses'],
  ['http://[ff02::1]/', '[ff02::1]', 'multicast addresses'],
  ['http://255.255.255.255/', '255.255.255.255', 'broadcast addresses'],
  ['http://240.0.0.1/', '240.0.0.1', 'reserved addresses'],
  // Names only a private resolver answers.
  ['http://router/', 'router', 'private names'],
  ['http://printer.local/', 'printer.local', 'private names'],
  ['http://db.internal/', 'db.internal', 'private names'],
  // The platform's own hosts: the Worker's (FAASBOX_EGRESS_DENY) and the function URL domain.
  ['http://faasbox.test/2015-03-31/functions/', 'faasbox.test', "the platform's own hosts"],
  ['http://faasbox.test/cdn-cgi/handler/scheduled?cron=*+*+*+*+*', 'faasbox.test', "the platform's own hosts"],
  ['https://api.faasbox.test/', 'api.faasbox.test', "the platform's own hosts"],
  // A function calling its own platform: its URL's path fallback on the platform host, and its URL host.
  ['http://faasbox.test/lambda-url/abcdefghijklmnopqrstuvwxyz012345/', 'faasbox.test', "the platform's own hosts"],
  ['http://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.localhost/', 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.localhost', "the platform's own hosts"],
  ['http://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.localhost/__scheduled', 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.localhost', "the platform's own hosts"],
];

describe('egress from functions', () => {
  it('refuses every forbidden address form in the guest with a TypeError that says why', async () => {
    const seen = await fetchAll(FORBIDDEN.map(([url]) => url));
    expect(seen.map((s, i) => [FORBIDDEN[i][0], s.error])).toEqual(FORBIDDEN.map(([url, host, what]) => [url, refused(host, what)]));
  });

  it('allows only http and https', async () => {
    const seen = await fetchAll(['ftp://example.com/file', 'data:text/plain,hi', 'ws://example.com/']);
    expect(seen.map((s) => s.error)).toEqual([
      'TypeError: faasbox: fetch to ftp: URL refused: only http: and https: URLs are reachable from functions',
      'TypeError: faasbox: fetch to data: URL refused: only http: and https: URLs are reachable from functions',
      'TypeError: faasbox: fetch to ws: URL refused: only http: and https: URLs are reachable from functions',
    ]);
  });

  it("reaches the operator's allowed host and sends a public name to the network", async () => {
    // No network here: a public name fails as a network error, after the egress rules let it go.
    const [allowed, publicName] = await fetchAll([`${target()}/status/200`, 'http://no-such-host.invalid/']);
    expect(allowed).toMatchObject({ status: 200, json: { url: '/status/200' } });
    expect(publicName.error).toMatch(/^TypeError: fetch failed: /);
  });

  it('checks every redirect: a public hop to a forbidden address is refused, an allowed one followed', async () => {
    const via = (to: string) => `${target()}/redirect?to=${encodeURIComponent(to)}`;
    const [toLoopback, toMetadata, toAllowed] = await fetchAll([via('http://127.0.0.1:1/'), via('http://[::ffff:169.254.169.254]/'), via(`${target()}/status/201`)]);
    expect(toLoopback.error).toBe(refused('127.0.0.1', 'loopback addresses'));
    expect(toMetadata.error).toBe(refused('[::ffff:a9fe:a9fe]', 'cloud metadata addresses'));
    expect(toAllowed).toMatchObject({ status: 201, url: `${target()}/status/201`, redirected: true });
  });

  it('hands a redirect to the guest as it is when it asks for manual', async () => {
    const [manual] = await fetchAll([`${target()}/redirect?to=${encodeURIComponent('http://127.0.0.1:1/')}`], { redirect: 'manual' });
    expect(manual).toMatchObject({ status: 302, redirected: false });
  });

  it('sends the Host of the URL, never one the guest set', async () => {
    const [seen] = await fetchAll([`${target()}/status/200`], { headers: { host: 'localhost:8787' } });
    expect(seen.json!.headers.host).toBe(new URL(target()).host);
  });

  it("does not count a refused fetch against the invocation's fetch budget", async () => {
    const urls = [...new Array<string>(FETCH_MAX_REQUESTS_PER_INVOCATION + 5).fill('http://169.254.169.254/'), `${target()}/status/200`];
    const seen = await fetchAll(urls);
    expect(seen.at(-1)).toMatchObject({ status: 200 });
  });
});
