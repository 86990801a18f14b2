// A playground sandbox's life through the public routes: creation behind a proof of work and the
// creation limits, the session cookie (only its hash stored), resuming and ending a session, the
// CSRF check, the kill switch, Turnstile, GET /api/sandbox and the admin API.
import { describe, expect, it } from 'vitest';
import { runInDurableObject } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { signedClient, createTenant, ORIGIN } from '../support/signed-client';
import { createSandbox, playgroundFetch, registryStub, solvedProof } from '../support/playground-client';
import { storedText } from '../storage/tables';

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function errorOf(response: Response): Promise<{ status: number; type: string | null; message: string; retryAfter: string | null }> {
  const body = (await response.json()) as { message: string };
  return { status: response.status, type: response.headers.get('x-amzn-ErrorType'), message: body.message, retryAfter: response.headers.get('retry-after') };
}

const create = (address: string, vars?: Record<string, string>) => async () =>
  playgroundFetch('POST', '/api/playground/sandboxes', { body: { Proof: await solvedProof() }, address, vars });

describe('creating a sandbox', () => {
  it('answers its account and keys, which sign requests, and sets a __Host- session cookie', async () => {
    const sandbox = await createSandbox({ address: '198.51.100.1' });
    expect(sandbox.body).toMatchObject({ Sandbox: { AccountId: expect.stringMatching(/^\d{12}$/) }, Region: 'us-east-1' });
    expect(Date.parse(sandbox.body.Sandbox.EndsAt)).toBeGreaterThan(Date.parse(sandbox.body.Sandbox.CreatedAt));
    expect(sandbox.setCookie).toMatch(/^__Host-faasbox-sandbox=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Strict$/);
    const caller = await sandbox.tenant.send('GET', '/api/caller');
    expect(caller.status).toBe(200);
    expect(await caller.json()).toMatchObject({ Account: sandbox.accountId, IsAdmin: false });
  });

  it('keeps only the hash of the session token and of the client address', async () => {
    const address = '198.51.100.2';
    const sandbox = await createSandbox({ address });
    const row = await runInDurableObject(registryStub(), (_instance, state) =>
      state.storage.sql.exec('SELECT * FROM sandboxes WHERE account_id = ?', sandbox.accountId).one());
    expect(row.session_hash).toBe(await sha256Hex(sandbox.token));
    const stored = await storedText(registryStub());
    expect(stored).not.toContain(sandbox.token);
    expect(stored).not.toContain(address);
    expect(stored).not.toContain(sandbox.body.AccessKey.SecretAccessKey);
  });

  it('refuses a proof used before, a wrong proof and none', async () => {
    const proof = await solvedProof();
    const first = await playgroundFetch('POST', '/api/playground/sandboxes', { body: { Proof: proof }, address: '198.51.100.3' });
    expect(first.status).toBe(201);
    const again = await errorOf(await playgroundFetch('POST', '/api/playground/sandboxes', { body: { Proof: proof }, address: '198.51.100.4' }));
    expect(again).toMatchObject({ status: 400, type: 'InvalidRequestException', message: 'This proof of work was already used: get a new challenge.' });

    const payload = JSON.parse(atob(await solvedProof())) as { solution: { counter: number; derivedKey: string } };
    payload.solution.derivedKey = payload.solution.derivedKey.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const wrong = await errorOf(await playgroundFetch('POST', '/api/playground/sandboxes', { body: { Proof: btoa(JSON.stringify(payload)) }, address: '198.51.100.4' }));
    expect(wrong).toMatchObject({ status: 400, type: 'InvalidRequestException', message: expect.stringContaining('The proof of work is wrong') });

    const none = await errorOf(await playgroundFetch('POST', '/api/playground/sandboxes', { body: {}, address: '198.51.100.4' }));
    expect(none).toMatchObject({ status: 400, type: 'InvalidRequestException', message: expect.stringContaining('Proof is required') });
  });

  it('refuses a 4th live sandbox from one address, naming the limit and when to retry', async () => {
    const address = '198.51.100.5';
    for (let i = 0; i < 3; i++) expect((await create(address)()).status).toBe(201);
    const refused = await errorOf(await create(address)());
    expect(refused).toMatchObject({ status: 429, type: 'TooManyRequestsException', message: expect.stringContaining('at most 3 live sandboxes per client address') });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.message).toContain(`Retry in ${refused.retryAfter} seconds`);
    // Another address is not affected.
    expect((await create('198.51.100.6')()).status).toBe(201);
  });

  it('counts an IPv6 client by its /64, whatever address of it asks', async () => {
    for (const address of ['2001:db8:7:1::1', '2001:0db8:0007:0001:ffff::2', '2001:db8:7:1:abcd:1:2:3']) expect((await create(address)()).status).toBe(201);
    const refused = await errorOf(await create('2001:db8:7:1:9::9')());
    expect(refused).toMatchObject({ status: 429, message: expect.stringContaining('at most 3 live sandboxes per client address') });
    // The next /64 is another client.
    expect((await create('2001:db8:7:2::1')()).status).toBe(201);
  });

  it('refuses a body over 64 KiB as it arrives, with or without a declared length', async () => {
    const large = 'x'.repeat(65 * 1024);
    const declared = await playgroundFetch('POST', '/api/playground/sandboxes', { body: { Proof: large } });
    expect(declared.status).toBe(413);
    const chunks = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode(large));
        controller.close();
      },
    });
    const streamed = await exports.default.fetch(new Request(`${ORIGIN}/api/playground/sandboxes`, {
      method: 'POST', body: chunks, headers: { 'x-faasbox-playground': '1', origin: ORIGIN, 'content-type': 'application/json' }, duplex: 'half',
    } as RequestInit));
    expect(streamed.status).toBe(413);
    expect(streamed.headers.get('x-amzn-ErrorType')).toBe('RequestEntityTooLargeException');
  });

  it('refuses the 11th sandbox of an address in a UTC day, even with the earlier ones ended', async () => {
    const address = '198.51.100.7';
    const manyAMinute = { FAASBOX_PLAYGROUND_BURST_PER_ADDRESS: '100' };
    for (let i = 0; i < 10; i++) {
      const sandbox = await createSandbox({ address, vars: manyAMinute });
      expect((await playgroundFetch('DELETE', '/api/playground/session', { cookie: sandbox.cookie })).status).toBe(204);
    }
    const refused = await errorOf(await create(address, manyAMinute)());
    expect(refused).toMatchObject({ status: 429, type: 'TooManyRequestsException', message: expect.stringContaining('at most 10 sandboxes created per client address per UTC day') });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(86_400);
  });

  it('refuses a burst from one address within a minute', async () => {
    const address = '198.51.100.8';
    const twoAMinute = { FAASBOX_PLAYGROUND_BURST_PER_ADDRESS: '2' };
    for (let i = 0; i < 2; i++) expect((await create(address, twoAMinute)()).status).toBe(201);
    const refused = await errorOf(await create(address, twoAMinute)());
    expect(refused).toMatchObject({ status: 429, type: 'TooManyRequestsException', message: expect.stringContaining('at most 2 sandboxes created per client address within a minute') });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
  });

  it('refuses any address past the global cap of live sandboxes', async () => {
    await createSandbox({ address: '198.51.100.9' });
    const live = ((await (await signedClient().send('GET', '/api/admin/sandboxes')).json()) as { Sandboxes: unknown[] }).Sandboxes.length;
    const refused = await errorOf(await create('198.51.100.10', { FAASBOX_PLAYGROUND_LIVE_MAX: String(live) })());
    expect(refused).toMatchObject({ status: 429, type: 'TooManyRequestsException', message: expect.stringContaining(`at most ${live} live sandboxes on this deployment`) });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  });

  it('answers 503 with an explanation while the kill switch is off', async () => {
    const off = { FAASBOX_PLAYGROUND: 'off' };
    const refused = await errorOf(await create('198.51.100.11', off)());
    expect(refused).toMatchObject({ status: 503, type: 'ServiceUnavailableException', message: expect.stringContaining('FAASBOX_PLAYGROUND=off') });
    expect((await playgroundFetch('GET', '/api/playground/challenge', { vars: off })).status).toBe(503);
  });

  it('needs a Turnstile token when a Turnstile secret is set', async () => {
    const refused = await errorOf(await create('198.51.100.12', { FAASBOX_TURNSTILE_SECRET: '1x0000000000000000000000000000000AA' })());
    expect(refused).toMatchObject({ status: 400, type: 'InvalidRequestException', message: 'TurnstileToken is required on this deployment.' });
  });

  it('offers the Turnstile site key with the challenge when one is configured', async () => {
    const answer = await playgroundFetch('GET', '/api/playground/challenge', { vars: { FAASBOX_TURNSTILE_SITE_KEY: '1x00000000000000000000AA' } });
    expect(await answer.json()).toMatchObject({ Challenge: { parameters: { algorithm: 'SHA-256' }, signature: expect.any(String) }, TurnstileSiteKey: '1x00000000000000000000AA' });
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the session', () => {
  it('resumes with the same keys for the cookie, and 404 without a live sandbox', async () => {
    const sandbox = await createSandbox({ address: '198.51.100.20' });
    const resumed = await playgroundFetch('POST', '/api/playground/session', { cookie: sandbox.cookie });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toEqual(expect.objectContaining({ AccessKey: sandbox.body.AccessKey, Sandbox: expect.objectContaining({ AccountId: sandbox.accountId }) }));
    const none = await errorOf(await playgroundFetch('POST', '/api/playground/session', { cookie: `__Host-faasbox-sandbox=${'A'.repeat(43)}` }));
    expect(none).toMatchObject({ status: 404, type: 'ResourceNotFoundException' });
    expect((await playgroundFetch('POST', '/api/playground/session')).status).toBe(404);
  });

  it('ends the sandbox at DELETE, clears the cookie, and its keys stop', async () => {
    const sandbox = await createSandbox({ address: '198.51.100.21' });
    const ended = await playgroundFetch('DELETE', '/api/playground/session', { cookie: sandbox.cookie });
    expect(ended.status).toBe(204);
    expect(ended.headers.get('set-cookie')).toBe('__Host-faasbox-sandbox=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0');
    const refused = await sandbox.tenant.send('GET', '/api/caller');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-amzn-ErrorType')).toBe('UnrecognizedClientException');
    expect((await playgroundFetch('POST', '/api/playground/session', { cookie: sandbox.cookie })).status).toBe(404);
  });

  it('refuses cross-site requests: no header, a foreign Origin, Sec-Fetch-Site other than same-origin', async () => {
    const sandbox = await createSandbox({ address: '198.51.100.22' });
    const cases: Record<string, string | null>[] = [
      { 'x-faasbox-playground': null },
      { origin: 'http://evil.example' },
      // A page on a function URL host: same-site with the console locally, never same-origin.
      { origin: 'http://0123456789abcdefghijklmnopqrstuv.lambda-url.us-east-1.localhost' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: null },
    ];
    for (const headers of cases) {
      for (const [method, path] of [['POST', '/api/playground/session'], ['DELETE', '/api/playground/session'], ['POST', '/api/playground/sandboxes']]) {
        const refused = await errorOf(await playgroundFetch(method, path, { cookie: sandbox.cookie, headers, body: path.endsWith('sandboxes') ? { Proof: 'x' } : undefined }));
        expect(refused, `${method} ${path} ${JSON.stringify(headers)}`).toMatchObject({ status: 403, type: 'AccessDeniedException' });
      }
    }
    // The sandbox is still there; no Origin but Sec-Fetch-Site: same-origin passes.
    const resumed = await playgroundFetch('POST', '/api/playground/session', { cookie: sandbox.cookie, headers: { origin: null, 'sec-fetch-site': 'same-origin' } });
    expect(resumed.status).toBe(200);
  });
});

describe('GET /api/sandbox and the admin API', () => {
  it('answers the sandbox its times and which end applies; another account is no sandbox', async () => {
    const sandbox = await createSandbox({ address: '198.51.100.30' });
    const answer = await sandbox.tenant.send('GET', '/api/sandbox');
    expect(answer.status).toBe(200);
    const status = (await answer.json()) as Record<string, string>;
    expect(status).toMatchObject({ AccountId: sandbox.accountId, CreatedAt: sandbox.body.Sandbox.CreatedAt, EndsBecause: 'idle' });
    expect(Date.parse(status.EndsAt)).toBe(Date.parse(status.LastActiveAt) + 3600_000);
    const tenant = await createTenant('not-a-sandbox');
    const refused = await errorOf(await tenant.send('GET', '/api/sandbox'));
    expect(refused).toMatchObject({ status: 404, type: 'ResourceNotFoundException', message: 'This account is not a playground sandbox.' });
  });

  it('lists live sandboxes and ends one; only the admin may', async () => {
    const sandbox = await createSandbox({ address: '198.51.100.31' });
    const admin = signedClient();
    const listed = (await (await admin.send('GET', '/api/admin/sandboxes')).json()) as { Sandboxes: Record<string, unknown>[] };
    expect(listed.Sandboxes).toContainEqual(expect.objectContaining({ AccountId: sandbox.accountId, EndsBecause: 'idle', CreatedAt: sandbox.body.Sandbox.CreatedAt }));
    // Each with its usage, as the sandbox itself reads it (GET /api/sandbox/usage).
    const own = await (await sandbox.tenant.send('GET', '/api/sandbox/usage')).json();
    expect(listed.Sandboxes.find((s) => s.AccountId === sandbox.accountId)?.Usage).toEqual(own);
    expect((await sandbox.tenant.send('GET', '/api/admin/sandboxes')).status).toBe(403);

    expect((await admin.send('DELETE', `/api/admin/sandboxes/${sandbox.accountId}`)).status).toBe(204);
    expect((await sandbox.tenant.send('GET', '/api/caller')).status).toBe(403);
    const after = (await (await admin.send('GET', '/api/admin/sandboxes')).json()) as { Sandboxes: Record<string, string>[] };
    expect(after.Sandboxes.map((s) => s.AccountId)).not.toContain(sandbox.accountId);
    expect((await admin.send('DELETE', `/api/admin/sandboxes/${sandbox.accountId}`)).status).toBe(404);
  });
});
