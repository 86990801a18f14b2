// Shares and export of a function (docs/PLAYGROUND.md, "Share and fork"): a share's public snapshot carries
// names of variables but never their values, is at most 1 MiB, never changes, answers 404 once
// expired and is deleted by the cron's sweep; nobody shares or exports another account's function.
import { describe, expect, it } from 'vitest';
import { env, exports } from 'cloudflare:workers';
import { createScheduledController } from 'cloudflare:test';
import { strFromU8, unzipSync } from 'fflate';
import worker from '../../../src/index';
import { shareKey, shareTokenHash, type ShareSnapshot } from '../../../src/playground/share-snapshot';
import { createTenant, deploy, ORIGIN, type TestClient } from '../support/signed-client';
import { zipBase64 } from '../support/zip';

const SECRET_VALUE = 'hunter2-do-not-leak';
const HANDLER = "exports.handler = async (event) => { console.log('got', JSON.stringify(event)); return { echoed: event, v: 1 }; };";

interface CreatedShare { Token: string; Path: string; ExpiresAt: string }

async function share(client: TestClient, fn: string, body: unknown = {}): Promise<CreatedShare> {
  const response = await client.send('POST', `/api/functions/${fn}/shares`, body);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as CreatedShare;
}

/** The public read: no signature, as a browser opening the link sends it. */
function readPublic(token: string): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}/api/playground/shares/${token}`));
}

async function snapshotOf(token: string): Promise<{ text: string; snapshot: ShareSnapshot }> {
  const response = await readPublic(token);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, snapshot: JSON.parse(text) as ShareSnapshot };
}

async function errorOf(response: Response) {
  const body = (await response.json()) as Record<string, string>;
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), message: body.message ?? body.Message };
}

/** Invokes `fn` and waits until its usage record is written (after the response), as the console's invocation page does. */
async function invokeAndSettle(client: TestClient, fn: string, payload: unknown): Promise<string> {
  const response = await client.send('POST', `/2015-03-31/functions/${fn}/invocations`, payload);
  expect(response.status).toBe(200);
  const requestId = response.headers.get('x-amzn-requestid')!;
  await expect.poll(async () => {
    const usage = await client.send('GET', `/api/billing/invocations?RequestId=${requestId}`);
    return ((await usage.json()) as { Invocations: unknown[] }).Invocations.length;
  }, { timeout: 15_000 }).toBe(1);
  return requestId;
}

async function tenantWithSecretFunction() {
  const tenant = await createTenant('sharer');
  await deploy(tenant, 'greeter', HANDLER, { Environment: { Variables: { API_TOKEN: SECRET_VALUE, GREETING: 'hello' } }, Description: "it's shared" });
  const saved = await tenant.send('PUT', '/api/functions/greeter/test-events/hello-event', { Event: '{"name":"Ada"}' });
  expect(saved.status).toBe(200);
  return tenant;
}

describe('a share', () => {
  it('snapshots code, configuration with variable names only, test events and invocations with logs, REPORT and cost', async () => {
    const tenant = await tenantWithSecretFunction();
    const requestId = await invokeAndSettle(tenant, 'greeter', { name: 'Ada' });
    const created = await share(tenant, 'greeter', { TestEvents: ['hello-event'], Invocations: [requestId] });
    expect(created.Token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(created.Path).toBe(`/s/${created.Token}`);
    expect(Date.parse(created.ExpiresAt)).toBeGreaterThan(Date.now());

    const { text, snapshot } = await snapshotOf(created.Token);
    expect(text).not.toContain(SECRET_VALUE);
    // Nothing of it names the account (ARNs are left out).
    expect(text).not.toContain(tenant.accountId);
    expect(snapshot.Function).toMatchObject({
      FunctionName: 'greeter', Runtime: 'nodejs22.x', Handler: 'index.handler', Description: "it's shared",
      EnvironmentVariableNames: ['API_TOKEN', 'GREETING'], TracingConfig: { Mode: 'PassThrough' },
    });
    expect(snapshot.Code).toEqual({ Files: [{ Path: 'index.js', Content: HANDLER }], OmittedFiles: [] });
    expect(snapshot.TestEvents).toEqual([{ Name: 'hello-event', Event: '{"name":"Ada"}' }]);
    expect(snapshot.ExpiresAt).toBe(created.ExpiresAt);
    const [invocation] = snapshot.Invocations;
    expect(invocation.RequestId).toBe(requestId);
    const messages = invocation.LogLines.map((l) => l.Message);
    expect(messages.some((m) => m.startsWith(`START RequestId: ${requestId}`))).toBe(true);
    expect(messages.some((m) => m.includes('got {"name":"Ada"}'))).toBe(true);
    expect(messages.some((m) => m.startsWith(`REPORT RequestId: ${requestId}`) && m.includes('Billed Duration'))).toBe(true);
    expect(invocation.Attempts).toEqual([expect.objectContaining({ RequestId: requestId, FunctionName: 'greeter', MemorySizeMB: 128, Cost: expect.any(String), ListCost: expect.any(String) })]);
    expect(snapshot.Prices).toMatchObject({ Currency: 'USD', PricePerMillionRequests: '50000' });
  });

  it('never changes: later code, configuration and test events do not reach it', async () => {
    const tenant = await tenantWithSecretFunction();
    const created = await share(tenant, 'greeter', { TestEvents: ['hello-event'] });
    const before = (await snapshotOf(created.Token)).text;

    const code = await tenant.send('PUT', '/2015-03-31/functions/greeter/code', { ZipFile: zipBase64({ 'index.js': 'exports.handler = async () => 2;' }) });
    expect(code.status).toBe(200);
    const config = await tenant.send('PUT', '/2015-03-31/functions/greeter/configuration', { Description: 'changed', Environment: { Variables: { OTHER: 'x' } } });
    expect(config.status).toBe(200);
    expect((await tenant.send('DELETE', '/api/functions/greeter/test-events/hello-event')).status).toBe(204);

    expect((await snapshotOf(created.Token)).text).toBe(before);
    // A new share is a new snapshot with a new token.
    const again = await share(tenant, 'greeter');
    expect(again.Token).not.toBe(created.Token);
    expect((await snapshotOf(again.Token)).snapshot.Function).toMatchObject({ Description: 'changed', EnvironmentVariableNames: ['OTHER'] });
  });

  it('is refused past 1 MiB of snapshot, naming the limit', async () => {
    const tenant = await createTenant('big');
    // Compresses to a few KB: the zip is accepted, its text is too large to share.
    await deploy(tenant, 'big', `exports.handler = async () => 1;\n// ${'x'.repeat(1_100_000)}\n`);
    const response = await tenant.send('POST', '/api/functions/big/shares', {});
    expect(await errorOf(response)).toEqual({
      status: 400, type: 'InvalidParameterValueException', message: expect.stringMatching(/over the limit of 1048576 bytes \(1 MiB\)/),
    });
  });

  it('is refused for a test event or invocation the function does not have', async () => {
    const tenant = await tenantWithSecretFunction();
    expect(await errorOf(await tenant.send('POST', '/api/functions/greeter/shares', { TestEvents: ['nope'] })))
      .toMatchObject({ status: 404, type: 'ResourceNotFoundException', message: expect.stringContaining('Test event not found: nope') });
    expect(await errorOf(await tenant.send('POST', '/api/functions/greeter/shares', { Invocations: ['00000000-0000-4000-8000-000000000000'] })))
      .toMatchObject({ status: 404, type: 'ResourceNotFoundException', message: expect.stringContaining('Invocation not found') });
    expect((await tenant.send('POST', '/api/functions/greeter/shares', { TestEvents: 'hello-event' })).status).toBe(400);
  });

  it('answers 404 for a token that names no share', async () => {
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', 'short', 'not%20a%20token%3F%3F%3F%3F%3F%3F']) {
      expect(await errorOf(await readPublic(token))).toMatchObject({ status: 404, type: 'ResourceNotFoundException' });
    }
  });

  it('answers 404 once expired, before the sweep, and the cron sweep deletes it', async () => {
    const tenant = await tenantWithSecretFunction();
    const kept = await share(tenant, 'greeter');
    const expiring = await share(tenant, 'greeter');
    const key = shareKey(await shareTokenHash(expiring.Token));
    // Backdate the stored expiry, as if the TTL had passed.
    const stored = (await env.CODE.get(key))!;
    await env.CODE.put(key, await stored.text(), { customMetadata: { expiresAtMs: String(Date.now() - 1) } });
    expect(await errorOf(await readPublic(expiring.Token))).toMatchObject({ status: 404, type: 'ResourceNotFoundException' });
    expect(await env.CODE.head(key)).not.toBeNull();

    // A sweep now deletes nothing that is not due...
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env);
    expect(await env.CODE.head(key)).not.toBeNull();
    expect((await readPublic(kept.Token)).status).toBe(200);
    // ...and once the TTL has passed, the snapshot and its index entry are gone.
    await worker.scheduled(createScheduledController({ scheduledTime: Date.parse(expiring.ExpiresAt) + 1000, cron: '* * * * *' }), env);
    expect(await env.CODE.head(key)).toBeNull();
    const hash = await shareTokenHash(expiring.Token);
    const leftovers = await env.CODE.list({ prefix: 'shares' });
    expect(leftovers.objects.map((o) => o.key).filter((k) => k.includes(hash))).toEqual([]);
  });
});

describe('another account', () => {
  it("cannot share or export a function that is not its own (Lambda's 404)", async () => {
    const owner = await tenantWithSecretFunction();
    const requestId = await invokeAndSettle(owner, 'greeter', {});
    const stranger = await createTenant('stranger');
    for (const response of [
      await stranger.send('POST', '/api/functions/greeter/shares', {}),
      await stranger.send('GET', '/api/functions/greeter/export'),
    ]) {
      expect(await errorOf(response)).toMatchObject({ status: 404, type: 'ResourceNotFoundException', message: expect.stringContaining(`Function not found: arn:aws:lambda:us-east-1:${stranger.accountId}:function:greeter`) });
    }
    // Nor put the owner's invocation in a share of its own function of the same name.
    await deploy(stranger, 'greeter', HANDLER);
    expect(await errorOf(await stranger.send('POST', '/api/functions/greeter/shares', { Invocations: [requestId] })))
      .toMatchObject({ status: 404, message: expect.stringContaining('Invocation not found') });
  });
});

describe('an export', () => {
  it('is a zip of the code as uploaded, the configuration with its values, the test events and recreate.sh', async () => {
    const tenant = await tenantWithSecretFunction();
    const response = await tenant.send('GET', '/api/functions/greeter/export');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="greeter.zip"');
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['code/index.js', 'configuration.json', 'recreate.sh', 'test-events/hello-event.json']);
    expect(strFromU8(files['code/index.js'])).toBe(HANDLER);
    expect(JSON.parse(strFromU8(files['configuration.json']))).toMatchObject({
      FunctionName: 'greeter', Environment: { Variables: { API_TOKEN: SECRET_VALUE, GREETING: 'hello' } }, Timeout: 3, MemorySize: 128,
    });
    expect(strFromU8(files['test-events/hello-event.json'])).toBe('{"name":"Ada"}');
    const script = strFromU8(files['recreate.sh']);
    expect(script).toMatch(/^#!\/bin\/sh\n/);
    expect(script).toContain(`--environment '{"Variables":{"API_TOKEN":"${SECRET_VALUE}","GREETING":"hello"}}'`);
    expect(script).toContain("--description 'it'\\''s shared'");
    expect(script).not.toContain('egress.json');
    expect(script).not.toMatch(/layers|logging config/);
  });

  it("carries the function's own egress rules as the body of the egress API", async () => {
    const tenant = await tenantWithSecretFunction();
    const rules = { Mode: 'allow-list', Allow: ['api.example.com', '*.example.org:443'], Deny: ['203.0.113.0/24'] };
    expect((await tenant.send('PUT', '/api/functions/greeter/egress', rules)).status).toBe(200);
    const files = unzipSync(new Uint8Array(await (await tenant.send('GET', '/api/functions/greeter/export')).arrayBuffer()));
    expect(JSON.parse(strFromU8(files['egress.json']))).toEqual(rules);
    expect(strFromU8(files['recreate.sh'])).toContain('egress rules, in egress.json');
  });

  it("names in recreate.sh what create-function is not given: the function's layers and a LoggingConfig other than the default", async () => {
    const tenant = await createTenant();
    const layerResponse = await tenant.send('POST', '/2018-10-31/layers/helpers/versions', { Content: { ZipFile: zipBase64({ 'nodejs/node_modules/h/index.js': 'module.exports = 1;' }) } });
    const layer = (await layerResponse.json()) as { LayerVersionArn: string };
    await deploy(tenant, 'layered', HANDLER, { Layers: [layer.LayerVersionArn], LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' } });
    const files = unzipSync(new Uint8Array(await (await tenant.send('GET', '/api/functions/layered/export')).arrayBuffer()));
    expect(JSON.parse(strFromU8(files['configuration.json']))).toMatchObject({ Layers: [{ Arn: layer.LayerVersionArn }], LoggingConfig: { LogFormat: 'JSON' } });
    const script = strFromU8(files['recreate.sh']);
    expect(script).toContain(`#   layers ${layer.LayerVersionArn} (versions of the exporting account`);
    expect(script).toContain('#   logging config (update-function-configuration --logging-config LogFormat=JSON,ApplicationLogLevel=WARN,SystemLogLevel=INFO,LogGroup=/aws/lambda/layered,');
    expect(script).not.toContain('--layers arn');
  });
});
