// Egress rules through real invocations (the Lambda API in workerd): every forbidden address form
// is refused in the guest with faasbox's TypeError, redirects are checked at every hop, the
// operator's allow list (the local HTTP target, vitest.config.ts) and public names get through,
// and a refusal does not spend the invocation's fetch budget. A function's own allow and deny
// lists (PUT /api/functions/<fn>/egress) narrow that, are kept by its versions, and never reach
// past a fixed rule; a host the Worker answers on is refused without configuration.
import { AwsClient } from 'aws4fetch';
import { exports } from 'cloudflare:workers';
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

/** What a function sees of a URL its own allow list leaves out, or its deny list names. */
const notAllowed = (host: string) => `TypeError: faasbox: fetch to ${host} refused: not in the function's egress allow list`;
const denied = (host: string) => `TypeError: faasbox: fetch to ${host} refused: listed in the function's egress deny list`;
/** No network here: a URL the rules let go fails as a network error. */
const NETWORK_ERROR = /^TypeError: fetch failed: /;

describe("a function's own egress rules", () => {
  const putEgress = (fn: string, body: unknown) => tenant.send('PUT', `/api/functions/${fn}/egress`, body);
  const invoke = async (fn: string, urls: string[]): Promise<Seen[]> => {
    const response = await tenant.send('POST', `/2015-03-31/functions/${fn}/invocations`, { urls });
    expect(response.status).toBe(200);
    return (await response.json()) as Seen[];
  };
  const targetHost = () => new URL(target()).host;

  it('stores the lists in their normal form, answers them, and refuses what names no host', async () => {
    await deploy(tenant, 'egress-api', FETCHER);
    expect(await (await tenant.send('GET', '/api/functions/egress-api/egress')).json()).toMatchObject({ FunctionName: 'egress-api', Version: '$LATEST', Mode: 'deny-list', Allow: [], Deny: [] });
    const put = await putEgress('egress-api', {
      Mode: 'allow-list',
      Allow: ['API.Example.COM.', '*.Example.org:443', '0x7f.1:8080', '[0:0::1]', '2001:DB8::7/32', '203.0.113.77/24', '2606:4700:0::1111', 'api.example.com'],
      Deny: ['bad.example.org'],
    });
    expect(put.status).toBe(200);
    const stored = await put.json() as { RevisionId: string };
    expect(stored).toMatchObject({
      Mode: 'allow-list',
      Allow: ['api.example.com', '*.example.org:443', '127.0.0.1:8080', '[::1]', '2001:db8::/32', '203.0.113.0/24', '[2606:4700::1111]'],
      Deny: ['bad.example.org'],
    });
    expect(await (await tenant.send('GET', '/api/functions/egress-api/egress')).json()).toEqual(stored);
    // A configuration change: a stale RevisionId is refused.
    const stale = await putEgress('egress-api', { Mode: 'deny-list', RevisionId: 'not-the-revision' });
    expect(stale.status).toBe(412);

    for (const [body, message] of [
      [{ Mode: 'allow-list', Allow: ['https://api.example.com/'] }, /^Allow\[0\] 'https:\/\/api.example.com\/' is not an egress entry: /],
      [{ Mode: 'allow-list', Allow: ['a.*.example.com'] }, /^Allow\[0\] /],
      [{ Mode: 'deny-list', Deny: ['ok.example', 'host:99999'] }, /^Deny\[1\] 'host:99999' is not an egress entry: its port is not between 1 and 65535/],
      [{ Mode: 'deny-list', Deny: ['10.0.0.0/33'] }, /prefix length is over 32/],
      [{ Mode: 'deny-list', Deny: ['*.10.0.0.1'] }, /not under an IP address/],
      [{ Mode: 'deny-list', Allow: ['api.example.com'] }, /^Allow is read only with Mode allow-list/],
      [{ Mode: 'deny-list', Vpc: true }, /The member Vpc is not supported by faasbox/],
    ] as const) {
      const response = await putEgress('egress-api', body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ Type: 'User', message: expect.stringMatching(message) });
    }
    const noMode = await putEgress('egress-api', { Allow: [] });
    expect(noMode.status).toBe(400);
    expect((await noMode.json() as { message: string }).message).toContain("at 'mode' failed to satisfy constraint: Member must not be null");
    expect((await putEgress('no-such-function', { Mode: 'deny-list' })).status).toBe(404);

    expect((await tenant.send('DELETE', '/api/functions/egress-api/egress')).status).toBe(204);
    expect(await (await tenant.send('GET', '/api/functions/egress-api/egress')).json()).toMatchObject({ Mode: 'deny-list', Allow: [], Deny: [] });
    expect((await tenant.send('DELETE', '/api/functions/egress-api/egress')).status).toBe(204);
  });

  it('answers malformed rules with a 4xx and keeps the rules it had', async () => {
    await deploy(tenant, 'egress-malformed', FETCHER);
    expect((await putEgress('egress-malformed', { Mode: 'deny-list', Deny: ['kept.example'] })).status).toBe(200);
    const bodies: unknown[] = [
      'not json', '[]', 'null', '{"Mode":"allow-list","Allow":"api.example.com"}', { Mode: 'allow-list', Allow: [1, null] }, { Mode: 'ALLOW-LIST' },
      { Mode: 'allow-list', Allow: new Array(101).fill('a.example') }, { Mode: 'allow-list', Allow: ['x'.repeat(300)] },
      { Mode: 'allow-list', Allow: [''] }, { Mode: 'allow-list', Allow: ['*'] }, { Mode: 'allow-list', Allow: ['\u0000'] }, { Mode: 'allow-list', Allow: ['a b'] },
      { Mode: 'allow-list', Allow: ['user@host'] }, { Mode: 'allow-list', Allow: ['[::1'] }, { Mode: 'allow-list', Allow: ['::1/129'] }, { Mode: 'allow-list', Allow: ['host:'] },
      { Mode: 'allow-list', Allow: ['%zz.example'] }, { Mode: 'allow-list', Allow: ['host:0'] }, { Mode: 'deny-list', Deny: ['a.example'], RevisionId: 7 },
    ];
    for (const body of bodies) {
      const response = await putEgress('egress-malformed', body);
      expect([JSON.stringify(body).slice(0, 60), response.status]).toEqual([JSON.stringify(body).slice(0, 60), 400]);
    }
    expect((await tenant.send('GET', '/api/functions/egress-malformed/egress?Qualifier=%25%25')).status).toBe(400);
    expect((await tenant.send('GET', '/api/functions/egress-malformed/egress?Qualifier=9')).status).toBe(404);
    expect(await (await tenant.send('GET', '/api/functions/egress-malformed/egress')).json()).toMatchObject({ Mode: 'deny-list', Deny: ['kept.example'] });
  });

  it('reaches only what its allow list names, and never past a fixed rule', async () => {
    await deploy(tenant, 'egress-allow', FETCHER);
    // 127.0.0.1 and the metadata address are listed, yet the fixed rules win; the HTTP target's
    // host and port pass because the operator allows them and the function lists them.
    expect((await putEgress('egress-allow', { Mode: 'allow-list', Allow: [targetHost(), '*.allowed.invalid', '127.0.0.1', '169.254.169.254'] })).status).toBe(200);
    const [listed, underDomain, apex, unlisted, loopback, metadata, viaRedirect] = await invoke('egress-allow', [
      `${target()}/status/200`,
      'http://api.allowed.invalid/',
      'http://allowed.invalid/',
      'http://elsewhere.invalid/',
      'http://127.0.0.1:1/',
      'http://169.254.169.254/latest/meta-data/',
      `${target()}/redirect?to=${encodeURIComponent('http://elsewhere.invalid/')}`,
    ]);
    expect(listed).toMatchObject({ status: 200 });
    expect(underDomain.error).toMatch(NETWORK_ERROR);
    expect(apex.error).toBe(notAllowed('allowed.invalid'));
    expect(unlisted.error).toBe(notAllowed('elsewhere.invalid'));
    expect(loopback.error).toBe(refused('127.0.0.1', 'loopback addresses'));
    expect(metadata.error).toBe(refused('169.254.169.254', 'cloud metadata addresses'));
    expect(viaRedirect.error).toBe(notAllowed('elsewhere.invalid'));

    // An empty allow list: nothing at all.
    expect((await putEgress('egress-allow', { Mode: 'allow-list' })).status).toBe(200);
    const [target0] = await invoke('egress-allow', [`${target()}/status/200`]);
    expect(target0.error).toBe(notAllowed('127.0.0.1'));
  });

  it('refuses what its deny list names, in every form of an address and at every redirect', async () => {
    await deploy(tenant, 'egress-deny', FETCHER);
    expect((await putEgress('egress-deny', { Mode: 'deny-list', Deny: ['*.denied.invalid', '8.8.8.0/24', '[2606:4700::1111]', `${targetHost()}`] })).status).toBe(200);
    const [byDomain, byRange, mapped, nat64, v6, targetItself, other, viaRedirect] = await invoke('egress-deny', [
      'http://x.denied.invalid/',
      'http://8.8.8.8/',
      'http://[::ffff:8.8.8.8]/',
      'http://[64:ff9b::808:808]/',
      'http://[2606:4700:0::1111]/',
      `${target()}/status/200`,
      'http://other.invalid/',
      `http://ok.invalid/`,
    ]);
    expect(byDomain.error).toBe(denied('x.denied.invalid'));
    expect(byRange.error).toBe(denied('8.8.8.8'));
    expect(mapped.error).toBe(denied('[::ffff:808:808]'));
    expect(nat64.error).toBe(denied('[64:ff9b::808:808]'));
    expect(v6.error).toBe(denied('[2606:4700::1111]'));
    // The operator allows the HTTP target, and the function's own deny still wins.
    expect(targetItself.error).toBe(denied('127.0.0.1'));
    expect(other.error).toMatch(NETWORK_ERROR);
    expect(viaRedirect.error).toMatch(NETWORK_ERROR);

    // A redirect from an allowed host to a denied one fails at that hop.
    expect((await putEgress('egress-deny', { Mode: 'deny-list', Deny: ['*.denied.invalid'] })).status).toBe(200);
    const [redirected, direct] = await invoke('egress-deny', [`${target()}/redirect?to=${encodeURIComponent('http://x.denied.invalid/')}`, `${target()}/status/200`]);
    expect(redirected.error).toBe(denied('x.denied.invalid'));
    expect(direct).toMatchObject({ status: 200 });
  });

  it('keeps a published version to the rules it was published with, and deletes them with the function', async () => {
    await deploy(tenant, 'egress-versions', FETCHER);
    expect((await putEgress('egress-versions', { Mode: 'allow-list', Allow: [targetHost()] })).status).toBe(200);
    const published = await tenant.send('POST', '/2015-03-31/functions/egress-versions/versions', {});
    expect(published.status).toBe(201);
    expect((await putEgress('egress-versions', { Mode: 'deny-list', Deny: [targetHost()] })).status).toBe(200);
    // A changed rule set is a changed configuration: it publishes a new version.
    expect(await (await tenant.send('POST', '/2015-03-31/functions/egress-versions/versions', {})).json()).toMatchObject({ Version: '2' });

    const run = async (qualifier: string) => {
      const response = await tenant.send('POST', `/2015-03-31/functions/egress-versions/invocations?Qualifier=${qualifier}`, { urls: [`${target()}/status/200`, 'http://other.invalid/'] });
      return (await response.json()) as Seen[];
    };
    const [v1Target, v1Other] = await run('1');
    expect(v1Target).toMatchObject({ status: 200 });
    expect(v1Other.error).toBe(notAllowed('other.invalid'));
    const [latestTarget, latestOther] = await run('$LATEST');
    expect(latestTarget.error).toBe(denied('127.0.0.1'));
    expect(latestOther.error).toMatch(NETWORK_ERROR);
    expect(await (await tenant.send('GET', '/api/functions/egress-versions/egress?Qualifier=1')).json()).toMatchObject({ Version: '1', Mode: 'allow-list', Allow: [targetHost()], Deny: [] });

    expect((await tenant.send('DELETE', '/2015-03-31/functions/egress-versions')).status).toBe(204);
    await deploy(tenant, 'egress-versions', FETCHER);
    expect(await (await tenant.send('GET', '/api/functions/egress-versions/egress')).json()).toMatchObject({ Mode: 'deny-list', Allow: [], Deny: [] });
  });

  it('refuses a host the Worker answers on, unnamed by the operator', async () => {
    // The invoking request's own host (not FAASBOX_EGRESS_DENY's faasbox.test) is the platform's.
    const origin = 'http://other-platform-host.test';
    const aws = new AwsClient({ accessKeyId: tenant.accessKeyId, secretAccessKey: tenant.secretAccessKey, service: 'lambda', region: 'us-east-1', retries: 0 });
    const signed = await aws.sign(`${origin}/2015-03-31/functions/fetcher/invocations`, {
      method: 'POST', body: JSON.stringify({ urls: [`${origin}/2015-03-31/functions/`, 'https://other-platform-host.test:8443/', 'http://sub.other-platform-host.test/'] }),
    });
    const response = await exports.default.fetch(signed);
    expect(response.status).toBe(200);
    const [samePort, otherPort, subdomain] = (await response.json()) as Seen[];
    expect(samePort.error).toBe(refused('other-platform-host.test', "the platform's own hosts"));
    expect(otherPort.error).toBe(refused('other-platform-host.test', "the platform's own hosts"));
    // Only the host itself: names under it may be anyone's.
    expect(subdomain.error).toMatch(NETWORK_ERROR);
  });
});
