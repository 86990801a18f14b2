// End to end: versions and aliases on a real `wrangler dev`, driven by @aws-sdk/client-lambda as a
// deploy pipeline would (publish, point an alias at it, send a 10% canary to the next version),
// and by the AWS CLI v2 with the commands the README shows.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateAliasCommand, CreateFunctionCommand, DeleteFunctionCommand, GetAliasCommand, GetFunctionCommand, InvokeCommand,
  LambdaClient, ListAliasesCommand, ListVersionsByFunctionCommand, PublishVersionCommand, ResourceConflictException,
  UpdateAliasCommand, UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
let lambda: LambdaClient;

const source = (label: string) => `exports.handler = async (event, context) => ({ label: ${JSON.stringify(label)}, version: context.functionVersion });`;

beforeAll(() => {
  lambda = server.client(LambdaClient);
});

describe('versions and aliases with the AWS SDK', () => {
  it('publishes a version, points an alias at it, and sends a 10% canary to the next version', async () => {
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'shop', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': source('stable') }) } }));
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'shop', Description: 'stable' }));
    expect(v1.Version).toBe('1');
    expect(v1.FunctionArn).toBe(`arn:aws:lambda:${server.region}:${server.accountId}:function:shop:1`);
    const alias = await lambda.send(new CreateAliasCommand({ FunctionName: 'shop', Name: 'live', FunctionVersion: '1' }));
    expect(alias.AliasArn).toBe(`arn:aws:lambda:${server.region}:${server.accountId}:function:shop:live`);
    await expect(lambda.send(new CreateAliasCommand({ FunctionName: 'shop', Name: 'live', FunctionVersion: '1' }))).rejects.toBeInstanceOf(ResourceConflictException);

    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'shop', ZipFile: zipOf({ 'index.js': source('canary') }) }));
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'shop', CodeSha256: updated.CodeSha256 }));
    expect(v2.Version).toBe('2');
    const canary = await lambda.send(new UpdateAliasCommand({ FunctionName: 'shop', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } }, RevisionId: alias.RevisionId }));
    expect(canary.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
    expect((await lambda.send(new GetAliasCommand({ FunctionName: 'shop', Name: 'live' }))).FunctionVersion).toBe('1');

    const counts: Record<string, number> = {};
    const total = 300;
    for (let sent = 0; sent < total; sent += 20) {
      const outputs = await Promise.all(Array.from({ length: 20 }, () => lambda.send(new InvokeCommand({ FunctionName: 'shop', Qualifier: 'live', Payload: new TextEncoder().encode('{}') }))));
      for (const output of outputs) {
        const body = JSON.parse(new TextDecoder().decode(output.Payload)) as { label: string; version: string };
        expect(body.version).toBe(output.ExecutedVersion);
        expect(body.label).toBe(output.ExecutedVersion === '2' ? 'canary' : 'stable');
        counts[output.ExecutedVersion!] = (counts[output.ExecutedVersion!] ?? 0) + 1;
      }
    }
    // 10% of 300 is 30 (standard deviation about 5): both versions ran, the canary a minority.
    expect(counts['2']).toBeGreaterThan(5);
    expect(counts['2']).toBeLessThan(70);
    expect(counts['1'] + counts['2']).toBe(total);

    const byArn = await lambda.send(new InvokeCommand({ FunctionName: `arn:aws:lambda:${server.region}:${server.accountId}:function:shop:1` }));
    expect(byArn.ExecutedVersion).toBe('1');
    const latest = await lambda.send(new InvokeCommand({ FunctionName: 'shop' }));
    expect(latest.ExecutedVersion).toBe('$LATEST');

    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'shop' }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
    expect((await lambda.send(new ListAliasesCommand({ FunctionName: 'shop' }))).Aliases?.map((a) => a.Name)).toEqual(['live']);
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'shop', Qualifier: 'live' }));
    expect(got.Configuration).toMatchObject({ Version: '1', FunctionArn: alias.AliasArn });

    // A version an alias routes to cannot be deleted; the whole function can.
    await expect(lambda.send(new DeleteFunctionCommand({ FunctionName: 'shop', Qualifier: '2' }))).rejects.toBeInstanceOf(ResourceConflictException);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'shop' }));
  });
});

describe('versions and aliases with the AWS CLI v2', () => {
  it('runs the README\'s publish, alias, canary and roll-forward commands', () => {
    const work = server.workDir;
    const aws = (...args: string[]) => JSON.parse(server.aws('--output', 'json', ...args) || 'null') as Record<string, unknown>;
    writeFileSync(join(work, 'v1.zip'), zipOf({ 'index.js': source('one') }));
    writeFileSync(join(work, 'v2.zip'), zipOf({ 'index.js': source('two') }));
    aws('lambda', 'create-function', '--function-name', 'hello', '--runtime', 'nodejs22.x', '--handler', 'index.handler', '--role', ROLE, '--zip-file', 'fileb://v1.zip');
    expect(aws('lambda', 'publish-version', '--function-name', 'hello').Version).toBe('1');
    expect(aws('lambda', 'create-alias', '--function-name', 'hello', '--name', 'live', '--function-version', '1').AliasArn).toMatch(/:function:hello:live$/);
    expect(aws('lambda', 'update-function-code', '--function-name', 'hello', '--zip-file', 'fileb://v2.zip', '--publish').Version).toBe('2');
    const canary = aws('lambda', 'update-alias', '--function-name', 'hello', '--name', 'live', '--routing-config', 'AdditionalVersionWeights={2=0.1}');
    expect(canary.RoutingConfig).toEqual({ AdditionalVersionWeights: { '2': 0.1 } });
    const invoked = aws('lambda', 'invoke', '--function-name', 'hello', '--qualifier', 'live', 'out.json');
    expect(['1', '2']).toContain(invoked.ExecutedVersion);
    expect(JSON.parse(readFileSync(join(work, 'out.json'), 'utf8')).version).toBe(invoked.ExecutedVersion);
    const forward = aws('lambda', 'update-alias', '--function-name', 'hello', '--name', 'live', '--function-version', '2', '--routing-config', '{}');
    expect(forward).toMatchObject({ FunctionVersion: '2' });
    expect(forward.RoutingConfig).toBeUndefined();
    expect(aws('lambda', 'invoke', '--function-name', 'hello:live', 'out.json').ExecutedVersion).toBe('2');
    expect((aws('lambda', 'list-versions-by-function', '--function-name', 'hello').Versions as { Version: string }[]).map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
    aws('lambda', 'delete-function', '--function-name', 'hello', '--qualifier', '1');
    expect((aws('lambda', 'list-aliases', '--function-name', 'hello').Aliases as { Name: string }[]).map((a) => a.Name)).toEqual(['live']);
  }, 180_000); // twelve AWS CLI runs, each a Python start
});
