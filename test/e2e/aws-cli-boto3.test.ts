// End to end with the other real clients: the AWS CLI v2 (Debian's awscli) and boto3, each
// creating, invoking, updating, listing and deleting a function against `wrangler dev`.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
let work: string;

beforeAll(() => {
  work = server.workDir;
  writeFileSync(join(work, 'v1.zip'), zipOf({ 'index.js': 'exports.handler = async (e) => ({ v: 1, got: e });' }));
  writeFileSync(join(work, 'v2.zip'), zipOf({ 'index.js': 'exports.handler = async (e) => ({ v: 2, got: e });' }));
});

const aws = (...args: string[]) => server.aws('--output', 'json', ...args);

describe('AWS CLI v2', () => {
  it('creates, invokes, updates, lists and deletes a function', () => {
    expect(aws('--version')).toMatch(/aws-cli\/2\./);
    const created = JSON.parse(aws('lambda', 'create-function', '--function-name', 'cli-fn', '--runtime', 'nodejs20.x', '--role', ROLE,
      '--handler', 'index.handler', '--zip-file', `fileb://${join(work, 'v1.zip')}`));
    expect(created.FunctionName).toBe('cli-fn');
    const out = join(work, 'out.json');
    const invoked = JSON.parse(aws('lambda', 'invoke', '--function-name', 'cli-fn', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"hi":1}', '--log-type', 'Tail', out));
    expect(invoked.StatusCode).toBe(200);
    expect(Buffer.from(invoked.LogResult, 'base64').toString()).toMatch(/REPORT RequestId/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ v: 1, got: { hi: 1 } });
    aws('lambda', 'update-function-code', '--function-name', 'cli-fn', '--zip-file', `fileb://${join(work, 'v2.zip')}`);
    aws('lambda', 'update-function-configuration', '--function-name', 'cli-fn', '--timeout', '10');
    aws('lambda', 'invoke', '--function-name', 'cli-fn', out);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ v: 2 });
    const listed = JSON.parse(aws('lambda', 'list-functions'));
    expect(listed.Functions.map((f: { FunctionName: string }) => f.FunctionName)).toContain('cli-fn');
    aws('lambda', 'delete-function', '--function-name', 'cli-fn');
    expect(() => aws('lambda', 'get-function', '--function-name', 'cli-fn')).toThrow(/ResourceNotFoundException/);
  });
});

describe('boto3', () => {
  it('creates, invokes, updates, lists and deletes a function', () => {
    const script = `
import boto3, json, sys
endpoint, zip1, zip2, role = sys.argv[1:5]
client = boto3.client('lambda', endpoint_url=endpoint)
client.create_function(FunctionName='py-fn', Runtime='nodejs22.x', Role=role, Handler='index.handler', Code={'ZipFile': open(zip1, 'rb').read()})
first = json.loads(client.invoke(FunctionName='py-fn', Payload=b'{"a":1}')['Payload'].read())
client.update_function_code(FunctionName='py-fn', ZipFile=open(zip2, 'rb').read())
second = json.loads(client.invoke(FunctionName='py-fn', Payload=b'{"a":2}')['Payload'].read())
names = [f['FunctionName'] for f in client.list_functions()['Functions']]
client.delete_function(FunctionName='py-fn')
try:
    client.get_function(FunctionName='py-fn')
    missing = False
except client.exceptions.ResourceNotFoundException:
    missing = True
print(json.dumps({'first': first, 'second': second, 'names': names, 'missing': missing}))
`;
    const output = server.boto3(script, server.endpoint, join(work, 'v1.zip'), join(work, 'v2.zip'), ROLE);
    const result = JSON.parse(output);
    expect(result).toMatchObject({ first: { v: 1, got: { a: 1 } }, second: { v: 2, got: { a: 2 } }, missing: true });
    expect(result.names).toContain('py-fn');
  });
});
