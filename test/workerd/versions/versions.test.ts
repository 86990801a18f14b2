// Published versions through the Worker's HTTP API inside workerd: PublishVersion and its guards,
// ListVersionsByFunction, immutability, qualified reads, DeleteFunction with a Qualifier and the
// R2 zips versions keep alive.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { zipBase64 } from '../support/zip';

const F = '/2015-03-31/functions';

interface Configuration {
  FunctionArn: string;
  Version: string;
  CodeSha256: string;
  RevisionId: string;
  Description: string;
  Timeout: number;
  Environment: { Variables: Record<string, string> };
}

async function ok<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const publish = (tenant: Tenant, name: string, body: Record<string, unknown> = {}) => tenant.send('POST', `${F}/${name}/versions`, body);
const invoke = async (tenant: Tenant, path: string) => {
  const response = await tenant.send('POST', `${F}/${path}/invocations`, {});
  return { version: response.headers.get('x-amz-executed-version'), body: await ok<Record<string, unknown>>(response) };
};
const updateCode = async (tenant: Tenant, name: string, source: string) =>
  ok<Configuration>(await tenant.send('PUT', `${F}/${name}/code`, { ZipFile: zipBase64({ 'index.js': source }) }));

describe('PublishVersion', () => {
  it('numbers immutable snapshots: updating $LATEST leaves version 1 running its own code and configuration', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'fn', 'exports.handler = async () => ({ code: "one", greeting: process.env.GREETING });', {
      Environment: { Variables: { GREETING: 'hello' } }, Description: 'first',
    });
    const v1 = await ok<Configuration>(await publish(tenant, 'fn'), 201);
    expect(v1.Version).toBe('1');
    expect(v1.FunctionArn).toBe(`arn:aws:lambda:us-east-1:${tenant.accountId}:function:fn:1`);
    expect(v1.Description).toBe('first');

    await updateCode(tenant, 'fn', 'exports.handler = async () => ({ code: "two", greeting: process.env.GREETING });');
    await ok(await tenant.send('PUT', `${F}/fn/configuration`, { Environment: { Variables: { GREETING: 'hi' } }, Timeout: 9 }));

    expect(await invoke(tenant, 'fn:1')).toEqual({ version: '1', body: { code: 'one', greeting: 'hello' } });
    expect(await invoke(tenant, 'fn')).toEqual({ version: '$LATEST', body: { code: 'two', greeting: 'hi' } });
    const v1Again = await ok<Configuration>(await tenant.send('GET', `${F}/fn/configuration?Qualifier=1`));
    expect(v1Again).toMatchObject({ Version: '1', Timeout: 3, CodeSha256: v1.CodeSha256, Environment: { Variables: { GREETING: 'hello' } } });

    const v2 = await ok<Configuration>(await publish(tenant, 'fn', { Description: 'second' }), 201);
    expect(v2).toMatchObject({ Version: '2', Description: 'second', Timeout: 9 });
    expect(await invoke(tenant, 'fn:2')).toEqual({ version: '2', body: { code: 'two', greeting: 'hi' } });
  });

  it('returns the newest version when $LATEST has not changed since it was published', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'same', 'exports.handler = async () => 1;');
    const first = await ok<Configuration>(await publish(tenant, 'same'), 201);
    const again = await ok<Configuration>(await publish(tenant, 'same'), 201);
    expect(again.Version).toBe('1');
    expect(again.RevisionId).toBe(first.RevisionId);
  });

  it('checks the RevisionId (412) and CodeSha256 (400) guards against $LATEST', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'guarded', 'exports.handler = async () => 1;');
    const latest = await ok<Configuration>(await tenant.send('GET', `${F}/guarded/configuration`));
    const stale = await publish(tenant, 'guarded', { RevisionId: 'not-the-revision' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('x-amzn-errortype')).toBe('PreconditionFailedException');
    const wrongSha = await publish(tenant, 'guarded', { CodeSha256: 'AAAA' });
    expect(wrongSha.status).toBe(400);
    expect(wrongSha.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    expect(((await wrongSha.json()) as { message: string }).message).toBe(
      `CodeSHA256 (AAAA) is different from current CodeSHA256 in $LATEST (${latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
    const guarded = await ok<Configuration>(await publish(tenant, 'guarded', { RevisionId: latest.RevisionId, CodeSha256: latest.CodeSha256 }), 201);
    expect(guarded.Version).toBe('1');
    const missing = await publish(tenant, 'nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { Message: string }).Message).toBe(`Function not found: arn:aws:lambda:us-east-1:${tenant.accountId}:function:nope`);
  });

  it('publishes with CreateFunction and UpdateFunctionCode when Publish is set', async () => {
    const tenant = await createTenant();
    const created = await ok<Configuration>(await tenant.send('POST', F, {
      FunctionName: 'pub', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::123456789012:role/r', Handler: 'index.handler',
      Code: { ZipFile: zipBase64({ 'index.js': 'exports.handler = async () => 1;' }) }, Publish: true,
    }), 201);
    expect(created.Version).toBe('1');
    const updated = await ok<Configuration>(await tenant.send('PUT', `${F}/pub/code`, { ZipFile: zipBase64({ 'index.js': 'exports.handler = async () => 2;' }), Publish: true }));
    expect(updated.Version).toBe('2');
    expect(updated.FunctionArn).toMatch(/:function:pub:2$/);
  });
});

describe('ListVersionsByFunction', () => {
  it('lists $LATEST first, then the versions in order, in pages', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'many', 'exports.handler = async () => 0;');
    for (let i = 1; i <= 3; i++) {
      await ok(await tenant.send('PUT', `${F}/many/configuration`, { Description: `d${i}` }));
      await ok(await publish(tenant, 'many'), 201);
    }
    const all = await ok<{ Versions: Configuration[] }>(await tenant.send('GET', `${F}/many/versions`));
    expect(all.Versions.map((v) => v.Version)).toEqual(['$LATEST', '1', '2', '3']);
    expect(all.Versions[0].FunctionArn).toMatch(/:function:many:\$LATEST$/);
    const page1 = await ok<{ Versions: Configuration[]; NextMarker: string }>(await tenant.send('GET', `${F}/many/versions?MaxItems=2`));
    expect(page1.Versions.map((v) => v.Version)).toEqual(['$LATEST', '1']);
    const page2 = await ok<{ Versions: Configuration[]; NextMarker?: string }>(await tenant.send('GET', `${F}/many/versions?MaxItems=2&Marker=${page1.NextMarker}`));
    expect(page2.Versions.map((v) => v.Version)).toEqual(['2', '3']);
    expect(page2.NextMarker).toBeUndefined();
  });
});

describe('qualified reads', () => {
  it('answers GetFunction and GetFunctionConfiguration for a version, $LATEST, an ARN with a qualifier, and not for a missing one', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'read', 'exports.handler = async () => 0;');
    await ok(await publish(tenant, 'read'), 201);
    const arn = `arn:aws:lambda:us-east-1:${tenant.accountId}:function:read`;
    const byArn = await ok<{ Configuration: Configuration; Code: { Location: string } }>(await tenant.send('GET', `${F}/${encodeURIComponent(`${arn}:1`)}`));
    expect(byArn.Configuration).toMatchObject({ FunctionArn: `${arn}:1`, Version: '1' });
    expect(byArn.Code.Location).toBeTruthy();
    const latest = await ok<Configuration>(await tenant.send('GET', `${F}/read/configuration?Qualifier=$LATEST`));
    expect(latest).toMatchObject({ FunctionArn: `${arn}:$LATEST`, Version: '$LATEST' });
    const unqualified = await ok<Configuration>(await tenant.send('GET', `${F}/read/configuration`));
    expect(unqualified.FunctionArn).toBe(arn);
    const missing = await tenant.send('GET', `${F}/read?Qualifier=7`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { Message: string }).Message).toBe(`Function not found: ${arn}:7`);
    const conflicting = await tenant.send('GET', `${F}/read:1?Qualifier=2`);
    expect(conflicting.status).toBe(400);
    expect(conflicting.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    const missingInvoke = await tenant.send('POST', `${F}/read:9/invocations`, {});
    expect(missingInvoke.status).toBe(404);
    expect(((await missingInvoke.json()) as { Message: string }).Message).toBe(`Function not found: ${arn}:9`);
  });

  it('does not let UpdateFunctionConfiguration change a published version', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'frozen', 'exports.handler = async () => 0;');
    await ok(await publish(tenant, 'frozen'), 201);
    const response = await tenant.send('PUT', `${F}/frozen:1/configuration`, { Timeout: 10 });
    expect(response.status).toBe(404);
    expect((await ok<Configuration>(await tenant.send('GET', `${F}/frozen/configuration?Qualifier=1`))).Timeout).toBe(3);
  });
});

describe('DeleteFunction with a Qualifier', () => {
  it('deletes one version, refuses $LATEST and versions an alias uses, and keeps zips a version still runs', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'del', 'exports.handler = async () => "one";');
    const v1 = await ok<Configuration>(await publish(tenant, 'del'), 201);
    await updateCode(tenant, 'del', 'exports.handler = async () => "two";');
    await ok(await publish(tenant, 'del'), 201);
    const prefix = `code/${tenant.accountId}/del/`;
    const zips = async () => (await env.CODE.list({ prefix })).objects.map((o) => o.key);
    // Version 1's zip outlives the UpdateFunctionCode that replaced it in $LATEST.
    expect(await zips()).toHaveLength(2);

    const latest = await tenant.send('DELETE', `${F}/del?Qualifier=$LATEST`);
    expect(latest.status).toBe(400);
    expect(((await latest.json()) as { message: string }).message).toBe('$LATEST version cannot be deleted without deleting the function.');

    await ok(await tenant.send('POST', `${F}/del/aliases`, { Name: 'live', FunctionVersion: '1' }), 201);
    await ok(await tenant.send('POST', `${F}/del/aliases`, { Name: 'canary', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } }), 201);
    const referenced = await tenant.send('DELETE', `${F}/del?Qualifier=1`);
    expect(referenced.status).toBe(409);
    expect(referenced.headers.get('x-amzn-errortype')).toBe('ResourceConflictException');
    expect(((await referenced.json()) as { message: string }).message).toBe('Unable to delete version because the following aliases reference it: [canary, live]');

    await ok(await tenant.send('DELETE', `${F}/del/aliases/live`), 204);
    await ok(await tenant.send('DELETE', `${F}/del/aliases/canary`), 204);
    await ok(await tenant.send('DELETE', `${F}/del:1`), 204);
    expect((await tenant.send('POST', `${F}/del:1/invocations`, {})).status).toBe(404);
    // Version 1's zip is gone; version 2 and $LATEST share the other.
    expect(await zips()).toHaveLength(1);
    expect(await zips()).not.toContain(`${prefix}${[...atob(v1.CodeSha256)].map((ch) => ch.charCodeAt(0).toString(16).padStart(2, '0')).join('')}.zip`);
    await ok(await tenant.send('DELETE', `${F}/del?Qualifier=2`), 204);
    expect(await zips()).toHaveLength(1);
    // Deleting it again succeeds, as in Lambda.
    expect((await tenant.send('DELETE', `${F}/del?Qualifier=2`)).status).toBe(204);

    // Numbers are never reused.
    await ok(await tenant.send('PUT', `${F}/del/configuration`, { Description: 'again' }));
    expect((await ok<Configuration>(await publish(tenant, 'del'), 201)).Version).toBe('3');

    // Deleting the function removes its versions, aliases and zips.
    await ok(await tenant.send('POST', `${F}/del/aliases`, { Name: 'live', FunctionVersion: '3' }), 201);
    await ok(await tenant.send('DELETE', `${F}/del`), 204);
    expect(await zips()).toHaveLength(0);
    await deploy(tenant, 'del', 'exports.handler = async () => "new";');
    expect((await ok<{ Versions: Configuration[] }>(await tenant.send('GET', `${F}/del/versions`))).Versions.map((v) => v.Version)).toEqual(['$LATEST']);
    expect((await tenant.send('GET', `${F}/del/aliases/live`)).status).toBe(404);
  });
});
