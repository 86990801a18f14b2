// Aliases through the Worker's HTTP API inside workerd: CRUD and Lambda's errors, weighted routing
// over many real invocations, X-Amz-Executed-Version, and async events that keep their version.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually } from '../support/observe';

const F = '/2015-03-31/functions';

interface Alias {
  AliasArn: string;
  Name: string;
  FunctionVersion: string;
  Description: string;
  RoutingConfig?: { AdditionalVersionWeights: Record<string, number> };
  RevisionId: string;
}

async function ok<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function error(response: Response, status: number, type: string): Promise<string> {
  const body = (await response.json()) as { message?: string; Message?: string };
  expect({ status: response.status, type: response.headers.get('x-amzn-errortype') }).toEqual({ status, type });
  return body.message ?? body.Message ?? '';
}

/** A function whose versions 1 and 2 answer their own names. */
async function twoVersions(tenant: Tenant, name: string): Promise<void> {
  await deploy(tenant, name, 'exports.handler = async () => "one";');
  await ok(await tenant.send('POST', `${F}/${name}/versions`, {}), 201);
  const { zipBase64 } = await import('../support/zip');
  await ok(await tenant.send('PUT', `${F}/${name}/code`, { ZipFile: zipBase64({ 'index.js': 'exports.handler = async () => "two";' }) }));
  await ok(await tenant.send('POST', `${F}/${name}/versions`, {}), 201);
}

describe('alias operations', () => {
  it('creates, reads, lists, updates and deletes aliases in Lambda\'s shapes', async () => {
    const tenant = await createTenant();
    await twoVersions(tenant, 'fn');
    const arn = `arn:aws:lambda:us-east-1:${tenant.accountId}:function:fn`;
    const created = await ok<Alias>(await tenant.send('POST', `${F}/fn/aliases`, { Name: 'live', FunctionVersion: '1', Description: 'production' }), 201);
    expect(created).toEqual({ AliasArn: `${arn}:live`, Name: 'live', FunctionVersion: '1', Description: 'production', RevisionId: expect.any(String) });
    expect(await ok<Alias>(await tenant.send('GET', `${F}/fn/aliases/live`))).toEqual(created);
    await ok(await tenant.send('POST', `${F}/fn/aliases`, { Name: 'dev', FunctionVersion: '$LATEST' }), 201);

    const listed = await ok<{ Aliases: Alias[] }>(await tenant.send('GET', `${F}/fn/aliases`));
    expect(listed.Aliases.map((a) => a.Name)).toEqual(['dev', 'live']);
    const byVersion = await ok<{ Aliases: Alias[] }>(await tenant.send('GET', `${F}/fn/aliases?FunctionVersion=1`));
    expect(byVersion.Aliases.map((a) => a.Name)).toEqual(['live']);
    const page = await ok<{ Aliases: Alias[]; NextMarker: string }>(await tenant.send('GET', `${F}/fn/aliases?MaxItems=1`));
    expect(page.Aliases.map((a) => a.Name)).toEqual(['dev']);
    expect((await ok<{ Aliases: Alias[] }>(await tenant.send('GET', `${F}/fn/aliases?MaxItems=1&Marker=${page.NextMarker}`))).Aliases.map((a) => a.Name)).toEqual(['live']);

    const updated = await ok<Alias>(await tenant.send('PUT', `${F}/fn/aliases/live`, {
      FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { '1': 0.25 } }, RevisionId: created.RevisionId,
    }));
    expect(updated).toMatchObject({ FunctionVersion: '2', Description: 'production', RoutingConfig: { AdditionalVersionWeights: { '1': 0.25 } } });
    expect(updated.RevisionId).not.toBe(created.RevisionId);
    await error(await tenant.send('PUT', `${F}/fn/aliases/live`, { Description: 'x', RevisionId: created.RevisionId }), 412, 'PreconditionFailedException');
    const cleared = await ok<Alias>(await tenant.send('PUT', `${F}/fn/aliases/live`, { RoutingConfig: {} }));
    expect(cleared.RoutingConfig).toBeUndefined();

    await ok(await tenant.send('DELETE', `${F}/fn/aliases/live`), 204);
    expect(await error(await tenant.send('GET', `${F}/fn/aliases/live`), 404, 'ResourceNotFoundException')).toBe(`Cannot find alias arn: ${arn}:live`);
    // Deleting a missing alias succeeds, as in Lambda; updating one is UpdateAlias's own "Alias not found".
    await ok(await tenant.send('DELETE', `${F}/fn/aliases/live`), 204);
    expect(await error(await tenant.send('PUT', `${F}/fn/aliases/live`, { Description: 'x' }), 404, 'ResourceNotFoundException')).toBe(`Alias not found: ${arn}:live`);
  });

  it('answers Lambda\'s errors for bad alias requests', async () => {
    const tenant = await createTenant();
    await twoVersions(tenant, 'fn');
    const arn = `arn:aws:lambda:us-east-1:${tenant.accountId}:function:fn`;
    const create = (body: Record<string, unknown>) => tenant.send('POST', `${F}/fn/aliases`, body);
    await ok(await create({ Name: 'live', FunctionVersion: '1' }), 201);
    expect(await error(await create({ Name: 'live', FunctionVersion: '2' }), 409, 'ResourceConflictException')).toBe(`Alias already exists: ${arn}:live`);
    expect(await error(await create({ Name: '123', FunctionVersion: '1' }), 400, 'ValidationException')).toContain("Value '123' at 'name'");
    expect(await error(await create({ Name: 'x', FunctionVersion: 'v1' }), 400, 'ValidationException')).toContain("at 'functionVersion'");
    expect(await error(await create({ Name: 'x', FunctionVersion: '7' }), 404, 'ResourceNotFoundException')).toBe(`Function not found: ${arn}:7`);
    expect(await error(await create({ Name: 'x', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '9': 0.1 } } }), 404, 'ResourceNotFoundException')).toBe(`Function not found: ${arn}:9`);
    expect(await error(await create({ Name: 'x', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 1.5 } } }), 400, 'ValidationException')).toContain("Value '{2=1.5}' at 'routingConfig.additionalVersionWeights'");
    expect(await error(await create({ Name: 'x', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '1': 0.1, '2': 0.1 } } }), 400, 'InvalidParameterValueException')).toBe('Number of items in AdditionalVersionWeights cannot be greater than 1');
    expect(await error(await create({ Name: 'x', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '1': 0.1 } } }), 400, 'InvalidParameterValueException')).toBe('Invalid function version 1. Function version 1 is already included in routing configuration.');
    expect(await error(await create({ Name: 'x', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '1': 0.1 } } }), 400, 'InvalidParameterValueException')).toBe('$LATEST is not supported for an alias pointing to more than 1 version');
    expect(await error(await tenant.send('PUT', `${F}/fn/aliases/live`, { RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } }), 400, 'InvalidParameterValueException')).toContain('already included in routing configuration');
    expect(await error(await tenant.send('POST', `${F}/nope/aliases`, { Name: 'x', FunctionVersion: '1' }), 404, 'ResourceNotFoundException')).toBe(`Function not found: arn:aws:lambda:us-east-1:${tenant.accountId}:function:nope`);
    // Another tenant sees none of it.
    const other = await createTenant('other');
    await error(await other.send('GET', `${F}/fn/aliases/live`), 404, 'ResourceNotFoundException');
  });
});

describe('invoking an alias', () => {
  it('runs the alias\'s version, names it in X-Amz-Executed-Version, and splits weighted traffic within a few percent', async () => {
    const tenant = await createTenant();
    await twoVersions(tenant, 'split');
    await ok(await tenant.send('POST', `${F}/split/aliases`, { Name: 'live', FunctionVersion: '1' }), 201);
    const one = await tenant.send('POST', `${F}/split:live/invocations`, {});
    expect(one.headers.get('x-amz-executed-version')).toBe('1');
    expect(await one.json()).toBe('one');
    const byQuery = await tenant.send('POST', `${F}/split/invocations?Qualifier=live`, {});
    expect(byQuery.headers.get('x-amz-executed-version')).toBe('1');

    await ok(await tenant.send('PUT', `${F}/split/aliases/live`, { RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } }));
    const total = 600;
    const counts: Record<string, number> = {};
    for (let sent = 0; sent < total; sent += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, async () => {
        const response = await tenant.send('POST', `${F}/split:live/invocations`, {});
        const body = await response.json();
        // The header and the code that ran agree on every call.
        expect(body).toBe(response.headers.get('x-amz-executed-version') === '2' ? 'two' : 'one');
        return response.headers.get('x-amz-executed-version')!;
      }));
      for (const version of batch) counts[version] = (counts[version] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['1', '2']);
    // 10% of 600: the standard deviation is about 1.2 points, so 5 points is over 4 sigma.
    expect(Math.abs(counts['2'] / total - 0.1)).toBeLessThan(0.05);
  }, 120_000);

  it('carries the resolved version of an async event through its retries', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'later', 'exports.handler = async (e, context) => { console.log("ran", context.functionVersion); throw new Error("again"); };');
    await ok(await tenant.send('POST', `${F}/later/versions`, {}), 201);
    await ok(await tenant.send('PUT', `${F}/later/configuration`, { Description: 'moved on' }));
    await ok(await tenant.send('POST', `${F}/later/versions`, {}), 201);
    // Half the traffic to each version: one event must keep its version on every attempt.
    await ok(await tenant.send('POST', `${F}/later/aliases`, { Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }), 201);
    const response = await tenant.send('POST', `${F}/later:live/invocations`, {}, { 'X-Amz-Invocation-Type': 'Event' });
    expect(response.status).toBe(202);
    const requestId = response.headers.get('x-amzn-requestid')!;
    const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
    const starts = await eventually(
      async () => (await logs.readEvents('/aws/lambda/later')).filter((e) => e.message.startsWith(`START RequestId: ${requestId}`)),
      (found) => found.length === 3,
    );
    const versions = new Set(starts.map((e) => e.message.split('Version: ')[1]));
    expect(versions.size).toBe(1);
    expect(['1', '2']).toContain([...versions][0]);
  });
});
