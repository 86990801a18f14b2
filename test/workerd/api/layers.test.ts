// Layers through the real app (docs/LAYERS.md): the store (numbering never reused, immutable
// versions, idempotent deletes, download links), functions' Layers (limits, another account's
// layer only as its policy grants, the combined unzipped size), and running with them under /opt.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { createTenant, type TestClient } from '../support/signed-client';
import { policyOf, userWithPolicy } from '../support/iam-client';
import { ROLE, zipBase64 } from '../support/zip';

const LAYER_ZIP = zipBase64({ 'nodejs/node_modules/greeter/index.js': 'exports.greet = (n) => `hi ${n}`;' });
const USES_GREETER = "exports.handler = async () => [require('greeter').greet('ada'), process.env.NODE_PATH];";

async function json(response: Response): Promise<Record<string, any>> {
  return (await response.json()) as Record<string, any>;
}

async function publish(client: TestClient, name: string, extra: Record<string, unknown> = {}) {
  const response = await client.send('POST', `/2018-10-31/layers/${name}/versions`, { Content: { ZipFile: LAYER_ZIP }, ...extra });
  expect(response.status).toBe(201);
  return json(response);
}

function createFunction(client: TestClient, name: string, layers: string[], source = USES_GREETER) {
  return client.send('POST', '/2015-03-31/functions', {
    FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipBase64({ 'index.js': source }) }, Layers: layers,
  });
}

async function invoke(client: TestClient, name: string, qualifier?: string) {
  const response = await client.send('POST', `/2015-03-31/functions/${name}/invocations${qualifier ? `?Qualifier=${qualifier}` : ''}`, {});
  return { status: response.status, error: response.headers.get('x-amz-function-error'), body: await response.json() };
}

describe('the layer store', () => {
  it('numbers versions from 1, never reusing a deleted number, and shows only the fields given', async () => {
    const tenant = await createTenant('layer-store');
    const first = await publish(tenant, 'utils', { Description: 'shared', CompatibleRuntimes: ['nodejs22.x'], LicenseInfo: 'MIT' });
    expect(Object.keys(first).sort()).toEqual(['CompatibleRuntimes', 'Content', 'CreatedDate', 'Description', 'LayerArn', 'LayerVersionArn', 'LicenseInfo', 'Version']);
    expect(first).toMatchObject({
      LayerArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:layer:utils`,
      LayerVersionArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:layer:utils:1`,
      Version: 1, Description: 'shared', CompatibleRuntimes: ['nodejs22.x'], LicenseInfo: 'MIT',
    });
    expect(first.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const zip = Uint8Array.from(atob(LAYER_ZIP), (ch) => ch.charCodeAt(0));
    expect(first.Content.CodeSize).toBe(zip.byteLength);
    // The download link serves the zip itself, without credentials.
    const download = await fetchLocation(first.Content.Location);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(zip);

    const second = await publish(tenant, 'utils');
    expect(second.Version).toBe(2);
    expect(Object.keys(second)).not.toContain('CompatibleRuntimes');
    const listed = await json(await tenant.send('GET', '/2018-10-31/layers/utils/versions'));
    expect(listed.LayerVersions.map((v: { Version: number }) => v.Version)).toEqual([2, 1]);

    for (const version of [1, 2, 2, 9]) expect((await tenant.send('DELETE', `/2018-10-31/layers/utils/versions/${version}`)).status).toBe(204);
    expect((await json(await tenant.send('GET', '/2018-10-31/layers/utils/versions'))).LayerVersions).toEqual([]);
    expect((await publish(tenant, 'utils')).Version).toBe(3);
    const gone = await tenant.send('GET', '/2018-10-31/layers/utils/versions/1');
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ Message: 'The resource you requested does not exist.' });
  });

  it('pages ListLayerVersions and filters ListLayers by runtime, showing the newest matching version', async () => {
    const tenant = await createTenant('layer-lists');
    await publish(tenant, 'alpha', { CompatibleRuntimes: ['nodejs22.x'] });
    await publish(tenant, 'alpha', { CompatibleRuntimes: ['python3.12'] });
    await publish(tenant, 'beta', { CompatibleRuntimes: ['nodejs20.x'] });
    const page1 = await json(await tenant.send('GET', '/2018-10-31/layers/alpha/versions?MaxItems=1'));
    expect(page1.LayerVersions.map((v: { Version: number }) => v.Version)).toEqual([2]);
    const page2 = await json(await tenant.send('GET', `/2018-10-31/layers/alpha/versions?MaxItems=1&Marker=${page1.NextMarker}`));
    expect(page2).toEqual({ LayerVersions: [expect.objectContaining({ Version: 1 })] });
    const node22 = await json(await tenant.send('GET', '/2018-10-31/layers?CompatibleRuntime=nodejs22.x'));
    expect(node22.Layers).toEqual([{
      LayerName: 'alpha', LayerArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:layer:alpha`,
      LatestMatchingVersion: expect.objectContaining({ Version: 1, CompatibleRuntimes: ['nodejs22.x'] }),
    }]);
    const all = await json(await tenant.send('GET', '/2018-10-31/layers'));
    expect(all.Layers.map((l: { LayerName: string; LatestMatchingVersion: { Version: number } }) => [l.LayerName, l.LatestMatchingVersion.Version])).toEqual([['alpha', 2], ['beta', 1]]);
  });
});

describe("a function's layers", () => {
  it('loads a package from its layer, shows Layers with their CodeSize, and keeps them in a published version', async () => {
    const tenant = await createTenant('layer-fn');
    const layer = await publish(tenant, 'greeter');
    const created = await createFunction(tenant, 'uses-layer', [layer.LayerVersionArn]);
    expect(created.status).toBe(201);
    expect((await json(created)).Layers).toEqual([{ Arn: layer.LayerVersionArn, CodeSize: layer.Content.CodeSize }]);
    expect(await invoke(tenant, 'uses-layer')).toMatchObject({
      status: 200, error: null,
      body: ['hi ada', '/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task'],
    });
    expect((await tenant.send('POST', '/2015-03-31/functions/uses-layer/versions', {})).status).toBe(201);
    // Removing the layers from $LATEST leaves version 1 with its own, and a deleted layer version keeps working.
    const updated = await tenant.send('PUT', '/2015-03-31/functions/uses-layer/configuration', { Layers: [] });
    expect(Object.keys(await json(updated))).not.toContain('Layers');
    expect((await tenant.send('DELETE', '/2018-10-31/layers/greeter/versions/1')).status).toBe(204);
    expect((await invoke(tenant, 'uses-layer')).error).toBe('Unhandled');
    expect(await invoke(tenant, 'uses-layer', '1')).toMatchObject({ status: 200, error: null, body: ['hi ada', expect.any(String)] });
    const version1 = await json(await tenant.send('GET', '/2015-03-31/functions/uses-layer/configuration?Qualifier=1'));
    expect(version1.Layers).toEqual([{ Arn: layer.LayerVersionArn, CodeSize: layer.Content.CodeSize }]);
  });

  it("refuses six layers, a missing version, two versions of one layer, and another region's layer, in Lambda's words", async () => {
    const tenant = await createTenant('layer-refusals');
    const v1 = await publish(tenant, 'dup');
    const v2 = await publish(tenant, 'dup');
    const missing = `arn:aws:lambda:us-east-1:${tenant.accountId}:layer:dup:9`;
    const cases: [string[], number, string, string][] = [
      [Array(6).fill(v1.LayerVersionArn), 400, 'InvalidParameterValueException', 'Cannot reference more than 5 layers.'],
      [[missing], 400, 'InvalidParameterValueException', `Layer version ${missing} does not exist.`],
      [[v1.LayerVersionArn, v2.LayerVersionArn], 400, 'InvalidParameterValueException',
        `Two different versions of the same layer are not allowed to be referenced in the same function. ${v1.LayerVersionArn} and ${v2.LayerVersionArn} are versions of the same layer.`],
      [[v1.LayerVersionArn.replace('us-east-1', 'eu-west-1')], 400, 'InvalidParameterValueException', 'Layers are not in the same region as the function. Layers are expected to be in region us-east-1.'],
    ];
    for (const [layers, status, code, message] of cases) {
      const response = await createFunction(tenant, 'refused', layers);
      expect(response.status).toBe(status);
      expect(response.headers.get('x-amzn-errortype')).toBe(code);
      expect((await json(response)).message).toBe(message);
    }
    const unversioned = await createFunction(tenant, 'refused', [v1.LayerArn]);
    expect(unversioned.status).toBe(400);
    expect((await json(unversioned)).message).toMatch(/^1 validation error detected: Value '\[arn:aws:lambda:us-east-1:\d{12}:layer:dup\]' at 'layers' failed to satisfy constraint/);
  });

  it('refuses code and layers past 262,144,000 bytes unzipped together, counting the declared sizes', async () => {
    const tenant = await createTenant('layer-size');
    const layer = await publish(tenant, 'big');
    // A layer that large would take seconds to build here: its record says so instead.
    const registry = env.FUNCTIONS.get(env.FUNCTIONS.idFromName(tenant.accountId));
    await runInDurableObject(registry, (_instance, state) => {
      state.storage.sql.exec("UPDATE layer_versions SET record = json_set(record, '$.unzippedBytes', 262000000) WHERE layer_name = 'big'");
    });
    const source = 'x'.repeat(200_000);
    const response = await createFunction(tenant, 'too-big', [layer.LayerVersionArn], `exports.handler = async () => 1; //${source}`);
    expect(response.status).toBe(400);
    expect((await json(response)).message).toBe(
      `Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. The actual size is ${262_000_000 + 200_035} bytes.`,
    );
  });
});

describe("another account's layer", () => {
  it('is refused until its version policy grants the account lambda:GetLayerVersion, then runs', async () => {
    const owner = await createTenant('layer-owner');
    const user = await createTenant('layer-user');
    const layer = await publish(owner, 'shared');
    const denied = await createFunction(user, 'borrower', [layer.LayerVersionArn]);
    expect(denied.status).toBe(403);
    expect((await json(denied)).Message).toBe(
      `User: arn:aws:iam::${user.accountId}:root is not authorized to perform: lambda:GetLayerVersion on resource: ${layer.LayerVersionArn} because no resource-based policy allows the lambda:GetLayerVersion action`,
    );
    expect((await user.send('GET', `/2018-10-31/layers?find=LayerVersion&Arn=${encodeURIComponent(layer.LayerVersionArn)}`)).status).toBe(403);

    const granted = await owner.send('POST', '/2018-10-31/layers/shared/versions/1/policy', { StatementId: 'user', Action: 'lambda:GetLayerVersion', Principal: user.accountId });
    expect(granted.status).toBe(201);
    const grant = await json(granted);
    expect(JSON.parse(grant.Statement)).toEqual({
      Sid: 'user', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${user.accountId}:root` }, Action: 'lambda:GetLayerVersion', Resource: layer.LayerVersionArn,
    });
    const policy = await json(await owner.send('GET', '/2018-10-31/layers/shared/versions/1/policy'));
    expect(policy.RevisionId).toBe(grant.RevisionId);

    const byArn = await user.send('GET', `/2018-10-31/layers?find=LayerVersion&Arn=${encodeURIComponent(layer.LayerVersionArn)}`);
    expect(byArn.status).toBe(200);
    expect(await json(byArn)).toMatchObject({ LayerVersionArn: layer.LayerVersionArn, Content: { CodeSha256: layer.Content.CodeSha256 } });
    expect((await createFunction(user, 'borrower', [layer.LayerVersionArn])).status).toBe(201);
    expect((await invoke(user, 'borrower')).body).toEqual(['hi ada', expect.any(String)]);
    // The owner's other operations stay the owner's.
    expect((await user.send('DELETE', `/2018-10-31/layers/${encodeURIComponent(layer.LayerArn)}/versions/1`)).status).toBe(403);
  });

  it('asks IAM for lambda:PublishLayerVersion on the layer and lambda:GetLayerVersion on each layer of a function', async () => {
    const owner = await createTenant('layer-iam');
    await publish(owner, 'allowed');
    const publisher = await userWithPolicy(owner, 'publisher', policyOf(
      { Effect: 'Allow', Action: ['lambda:PublishLayerVersion', 'lambda:CreateFunction', 'iam:PassRole'], Resource: '*' },
    ));
    expect((await publisher.send('POST', '/2018-10-31/layers/mine/versions', { Content: { ZipFile: LAYER_ZIP } })).status).toBe(201);
    const refused = await createFunction(publisher, 'iam-fn', [`arn:aws:lambda:us-east-1:${owner.accountId}:layer:allowed:1`]);
    expect(refused.status).toBe(403);
    expect((await json(refused)).Message).toContain('is not authorized to perform: lambda:GetLayerVersion on resource: arn:aws:lambda:us-east-1:');
  });
});

/** GETs a Content.Location link (served by the app itself, under its own origin). */
async function fetchLocation(location: string): Promise<Response> {
  const { exports } = await import('cloudflare:workers');
  return exports.default.fetch(new Request(location));
}

describe('malformed layer requests', () => {
  it("answer Lambda's 4xx, never a 500", async () => {
    const tenant = await createTenant('layer-malformed');
    await publish(tenant, 'ok');
    const requests: [string, string, unknown][] = [
      ['POST', '/2018-10-31/layers/ok/versions', { Content: 'zip' }],
      ['POST', '/2018-10-31/layers/ok/versions', { Content: { S3Bucket: 'bucket', S3Key: 'key' } }],
      ['POST', '/2018-10-31/layers/bad%20name/versions', { Content: { ZipFile: LAYER_ZIP } }],
      ['GET', '/2018-10-31/layers/ok/versions/abc', undefined],
      ['POST', '/2018-10-31/layers/ok/versions/abc/policy', { StatementId: 's', Action: 'lambda:GetLayerVersion', Principal: '*' }],
      ['DELETE', '/2018-10-31/layers/ok/versions/-1/policy/s', undefined],
      ['GET', '/2018-10-31/layers/ok/versions?Marker=zzz&MaxItems=51', undefined],
      ['GET', '/2018-10-31/layers?find=LayerVersion&Arn=nonsense', undefined],
      ['POST', '/2015-03-31/functions', { FunctionName: 'f', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: LAYER_ZIP }, Layers: 'x' }],
    ];
    for (const [method, path, body] of requests) {
      const response = await tenant.send(method, path, body);
      expect(response.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${method} ${path}`).toBeLessThan(500);
    }
    const s3 = await tenant.send('POST', '/2018-10-31/layers/ok/versions', { Content: { S3Bucket: 'bucket', S3Key: 'key' } });
    expect(await s3.json()).toMatchObject({ message: 'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist' });
  });
});
