// Execution environments per version inside workerd: a version's warm environment never serves
// another version, and the function sees its version in its environment, context and logs.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually } from '../support/observe';

const F = '/2015-03-31/functions';

// Globals survive between warm invocations of one environment: `calls` counts them, `born` names
// the version that created the environment.
const SOURCE = `
let calls = 0;
const born = process.env.AWS_LAMBDA_FUNCTION_VERSION;
exports.handler = async (event, context) => ({
  calls: ++calls, born, envVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
  contextVersion: context.functionVersion, invokedArn: context.invokedFunctionArn, stream: context.logStreamName,
});`;

interface Seen { calls: number; born: string; envVersion: string; contextVersion: string; invokedArn: string; stream: string }

async function call(tenant: Tenant, path: string): Promise<Seen & { executed: string | null }> {
  const response = await tenant.send('POST', `${F}/${path}/invocations`, {});
  expect(response.status).toBe(200);
  return { ...((await response.json()) as Seen), executed: response.headers.get('x-amz-executed-version') };
}

describe('environments per version', () => {
  it('keeps each version in its own warm environment and tells the function which version it is', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'envs', SOURCE);
    expect((await tenant.send('POST', `${F}/envs/versions`, {})).status).toBe(201);
    await tenant.send('PUT', `${F}/envs/configuration`, { Description: 'second' });
    expect((await tenant.send('POST', `${F}/envs/versions`, {})).status).toBe(201);
    expect((await tenant.send('POST', `${F}/envs/aliases`, { Name: 'live', FunctionVersion: '2' })).status).toBe(201);
    const arn = `arn:aws:lambda:us-east-1:${tenant.accountId}:function:envs`;

    const order = ['envs:1', 'envs:2', 'envs', 'envs:1', 'envs:live', 'envs:2', 'envs:$LATEST'];
    const seen = [];
    for (const path of order) seen.push(await call(tenant, path));
    const [v1a, v2a, latestA, v1b, liveA, v2b, latestB] = seen;

    // Every environment was born for, and only ever ran, its own version.
    for (const s of seen) {
      expect(s.born).toBe(s.executed);
      expect(s.envVersion).toBe(s.executed);
      expect(s.contextVersion).toBe(s.executed);
      expect(s.stream).toMatch(new RegExp(`^\\d{4}/\\d{2}/\\d{2}/\\[${s.executed!.replace('$', '\\$')}\\][0-9a-f]{32}$`));
    }
    expect([v1a.executed, v2a.executed, latestA.executed, liveA.executed]).toEqual(['1', '2', '$LATEST', '2']);
    // Warm counts advance per version: the alias shares version 2's environment.
    expect([v1a.calls, v1b.calls]).toEqual([1, 2]);
    expect([v2a.calls, liveA.calls, v2b.calls]).toEqual([1, 2, 3]);
    expect([latestA.calls, latestB.calls]).toEqual([1, 2]);
    expect(new Set([v1a.stream, v2a.stream, latestA.stream]).size).toBe(3);
    // invokedFunctionArn is the ARN the caller named.
    expect([v1a.invokedArn, latestA.invokedArn, liveA.invokedArn, latestB.invokedArn]).toEqual([`${arn}:1`, arn, `${arn}:live`, `${arn}:$LATEST`]);

    const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
    const events = await eventually(() => logs.readEvents('/aws/lambda/envs'), (e) => e.filter((x) => x.message.startsWith('REPORT')).length === order.length);
    const startVersions = events.filter((e) => e.message.startsWith('START')).map((e) => [e.message.split('Version: ')[1], e.logStreamName.split('[')[1].split(']')[0]]);
    expect(startVersions.every(([line, stream]) => line === stream)).toBe(true);
    expect(startVersions.map(([line]) => line).sort()).toEqual(['$LATEST', '$LATEST', '1', '1', '2', '2', '2']);
  });
});
