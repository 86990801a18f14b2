// Export end to end (docs/PLAYGROUND-SHARES.md, "Export"): a function of account 1 of a real
// `wrangler dev` is exported, unzipped with unzip(1), and its recreate.sh run with Debian's AWS CLI
// against account 2 of the same server (ENDPOINT): account 2's function has the same
// configuration and answers the same.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { useDevServer } from './support/harness';
import { AWS_CLI, awsCliEnv } from './support/aws-cli';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer();

const FILES = {
  'index.js': "const { greet } = require('./lib/greet');\nexports.handler = async (event) => ({ greeting: greet(event.name), region: process.env.PLACE });",
  'lib/greet.js': "const words = require('./words.json');\nexports.greet = (name) => `${words.hello}, ${name}!`;",
  'lib/words.json': '{ "hello": "Bonjour" }',
};
const CONFIGURATION = {
  Runtime: 'nodejs22.x', Handler: 'index.handler', MemorySize: 256, Timeout: 7, Description: "Greets people; it's exported",
  Environment: { Variables: { PLACE: 'Lyon', QUOTE: "it's \"quoted\" $HOME `x`" } }, TracingConfig: { Mode: 'Active' },
};
const SETTINGS = ['Runtime', 'Handler', 'MemorySize', 'Timeout', 'Description', 'Environment', 'TracingConfig', 'EphemeralStorage', 'Architectures'] as const;

let second: AwsClient;
let secondKeys: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  const created = await server.signedFetch('/2015-03-31/functions', {
    method: 'POST',
    body: JSON.stringify({ FunctionName: 'greeter', Role: ROLE, Code: { ZipFile: Buffer.from(zipOf(FILES)).toString('base64') }, ...CONFIGURATION }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const saved = await server.signedFetch('/api/functions/greeter/test-events/ada', { method: 'PUT', body: JSON.stringify({ Event: '{"name":"Ada"}' }) });
  expect(saved.status).toBe(200);
  const account = await server.signedFetch('/api/admin/accounts', { method: 'POST', body: JSON.stringify({ Name: 'importer' }) });
  expect(account.status).toBe(201);
  const { AccessKey } = (await account.json()) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
  secondKeys = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
  second = new AwsClient({ ...secondKeys, service: 'lambda', region: server.region, retries: 0 });
});

async function invokeIn(fetcher: (path: string, init: RequestInit) => Promise<Response>, event: string): Promise<unknown> {
  const response = await fetcher('/2015-03-31/functions/greeter/invocations', { method: 'POST', body: event });
  expect(response.status).toBe(200);
  expect(response.headers.get('x-amz-function-error')).toBeNull();
  return response.json();
}

describe('an exported function', () => {
  it("is recreated on another faasbox account by recreate.sh with the same configuration and code", async () => {
    const exported = await server.signedFetch('/api/functions/greeter/export');
    expect(exported.status).toBe(200);
    const dir = join(server.workDir, 'export');
    mkdirSync(dir);
    writeFileSync(join(dir, 'greeter.zip'), Buffer.from(await exported.arrayBuffer()));
    execFileSync('unzip', ['-q', 'greeter.zip'], { cwd: dir });
    // unzip keeps the script's mode: it runs as ./recreate.sh.
    expect(statSync(join(dir, 'recreate.sh')).mode & 0o111).not.toBe(0);

    // Debian's AWS CLI v2 as `aws` (an aws earlier on PATH may be another one).
    const bin = join(server.workDir, 'bin');
    mkdirSync(bin);
    symlinkSync(AWS_CLI, join(bin, 'aws'));
    const cliEnv = awsCliEnv({ endpoint: server.endpoint, region: server.region, ...secondKeys }, server.workDir);
    const output = execFileSync(join(dir, 'recreate.sh'), [], {
      cwd: server.workDir, encoding: 'utf8', stdio: 'pipe',
      env: { ...cliEnv, PATH: `${bin}:${cliEnv.PATH}`, ROLE_ARN: ROLE, ENDPOINT: server.endpoint },
    });
    expect(JSON.parse(output)).toMatchObject({ FunctionName: 'greeter' });

    const original = await (await server.signedFetch('/2015-03-31/functions/greeter/configuration')).json() as Record<string, unknown>;
    const recreated = await (await second.fetch(`${server.endpoint}/2015-03-31/functions/greeter/configuration`)).json() as Record<string, unknown>;
    expect(recreated.FunctionArn).not.toBe(original.FunctionArn);
    for (const setting of SETTINGS) expect(recreated[setting], setting).toEqual(original[setting]);

    const answer = await invokeIn((path, init) => server.signedFetch(path, init), '{"name":"Ada"}');
    expect(answer).toEqual({ greeting: 'Bonjour, Ada!', region: 'Lyon' });
    expect(await invokeIn((path, init) => second.fetch(`${server.endpoint}${path}`, init), '{"name":"Ada"}')).toEqual(answer);
  });

  it('without ROLE_ARN, recreate.sh stops before calling anything and says why', () => {
    const dir = join(server.workDir, 'export');
    expect(() => execFileSync('sh', [join(dir, 'recreate.sh')], { cwd: dir, encoding: 'utf8', stdio: 'pipe', env: { PATH: process.env.PATH } }))
      .toThrow(/ROLE_ARN/);
  });
});
