// Function URLs end to end against `wrangler dev`: the config and policy APIs through the AWS SDK
// and the AWS CLI v2, and requests to `<url-id>.lambda-url.us-east-1.localhost:<port>` from Node
// (connecting to 127.0.0.1 with a Host header) and from curl (which resolves *.localhost itself).
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AddPermissionCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, DeleteFunctionUrlConfigCommand, GetFunctionUrlConfigCommand,
  GetPolicyCommand, LambdaClient, ListFunctionUrlConfigsCommand, ResourceConflictException, UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

/** Serves a page, echoes the event at /echo and binary bodies at /binary. */
const WEB_APP = `exports.handler = async (event) => {
  if (event.rawPath === '/echo') return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) };
  if (event.rawPath === '/binary') return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, isBase64Encoded: event.isBase64Encoded, body: event.body || '' };
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    cookies: ['visited=yes; Path=/', 'theme=dark; Path=/; HttpOnly'],
    body: '<!doctype html><title>faasbox</title><h1>Hello from faasbox</h1>',
  };
};`;

const server = useDevServer({ shared: true });
let lambda: LambdaClient;
let port: string;
let work: string;

beforeAll(() => {
  port = String(server.port);
  work = server.workDir;
  writeFileSync(join(work, 'web.zip'), zipOf({ 'index.js': WEB_APP }));
  lambda = server.client(LambdaClient);
});

async function createWebFunction(name: string) {
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': WEB_APP }) } }));
}

/** A request to `host` through 127.0.0.1: Node's fetch does not resolve *.localhost nor let Host be set. */
function hostRequest(host: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: Number(port), path, method: init.method ?? 'GET', headers: { ...init.headers, host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function curl(...args: string[]): string {
  return execFileSync('curl', ['-s', '--max-time', '30', ...args], { encoding: 'utf8' });
}

const aws = (...args: string[]) => server.aws('--output', 'json', ...args);

describe('function URLs through wrangler dev', () => {
  it('manages URL configs and permissions with the AWS SDK', async () => {
    await createWebFunction('sdk-web');
    const cors = { AllowOrigins: ['https://app.example'], AllowMethods: ['GET'], MaxAge: 60 };
    const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'sdk-web', AuthType: 'NONE', Cors: cors }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.FunctionUrl).toMatch(new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:${port}/$`));
    expect(created.FunctionArn).toBe(`arn:aws:lambda:${server.region}:${server.accountId}:function:sdk-web`);
    expect(created.Cors).toEqual(cors);
    await expect(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'sdk-web', AuthType: 'NONE' }))).rejects.toBeInstanceOf(ResourceConflictException);

    const permission = await lambda.send(new AddPermissionCommand({
      FunctionName: 'sdk-web', StatementId: 'public', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE',
    }));
    expect(JSON.parse(permission.Statement!)).toMatchObject({ Sid: 'public', Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } } });
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: 'sdk-web' }));
    expect(JSON.parse(policy.Policy!).Statement).toHaveLength(1);
    expect(policy.RevisionId).toBeTruthy();

    const updated = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'sdk-web', AuthType: 'AWS_IAM' }));
    expect(updated).toMatchObject({ AuthType: 'AWS_IAM', FunctionUrl: created.FunctionUrl, InvokeMode: 'BUFFERED' });
    expect((await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'sdk-web' }))).LastModifiedTime).toBe(updated.LastModifiedTime);
    expect((await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'sdk-web' }))).FunctionUrlConfigs).toHaveLength(1);
    await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'sdk-web' }));
    expect((await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'sdk-web' }))).FunctionUrlConfigs).toEqual([]);
  });

  it('serves a public URL by Host from Node: HTML, one Set-Cookie per cookie, binary bodies, the event', async () => {
    await createWebFunction('node-web');
    const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'node-web', AuthType: 'NONE' }));
    const host = new URL(FunctionUrl!).host;
    expect((await hostRequest(host, '/')).status).toBe(403);
    await lambda.send(new AddPermissionCommand({ FunctionName: 'node-web', StatementId: 'public', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));

    const page = await hostRequest(host, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['set-cookie']).toEqual(['visited=yes; Path=/', 'theme=dark; Path=/; HttpOnly']);
    expect(page.body.toString()).toContain('<h1>Hello from faasbox</h1>');

    const bytes = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) % 256);
    const binary = await hostRequest(host, '/binary', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(new Uint8Array(binary.body)).toEqual(bytes);

    const echo = await hostRequest(host, '/echo?q=1&q=2', { headers: { cookie: 'a=1; b=2' } });
    const event = JSON.parse(echo.body.toString());
    expect(event).toMatchObject({ rawPath: '/echo', rawQueryString: 'q=1&q=2', queryStringParameters: { q: '1,2' }, cookies: ['a=1', 'b=2'] });
    expect(event.headers.host).toBe(host);
    expect(event.requestContext).toMatchObject({ domainName: new URL(FunctionUrl!).hostname, http: { method: 'GET', path: '/echo' } });
  });

  it('answers 502 once for a result with 5,000 cookies: the function runs once, wrangler dev\'s proxy does not retry', async () => {
    // A header set past what the HTTP layer sends used to drop the connection; wrangler dev's
    // ProxyWorker then retried the request (3 attempts) and answered 500 with its stack trace.
    const source = `exports.handler = async () => ({ statusCode: 200, body: 'ok', cookies: Array.from({ length: 5000 }, (_, i) => 'c' + i + '=' + 'v'.repeat(100)) });`;
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'cookie-flood', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': source }) } }));
    const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'cookie-flood', AuthType: 'NONE' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'cookie-flood', StatementId: 'public', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
    const response = await hostRequest(new URL(FunctionUrl!).host, '/');
    expect(response.status).toBe(502);
    expect(JSON.parse(response.body.toString())).toEqual({ Message: 'Internal Server Error' });
    // Every run ended before the answer; its log lines follow through waitUntil.
    const logs = server.client(CloudWatchLogsClient);
    const starts = async () => (await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/cookie-flood', filterPattern: 'START' })).catch(() => ({ events: [] }))).events ?? [];
    for (let i = 0; i < 20 && (await starts()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    expect(await starts()).toHaveLength(1);
  });

  it('answers curl at <url-id>.lambda-url.us-east-1.localhost and at the path fallback; the AWS CLI sets it up', () => {
    writeFileSync(join(work, 'web.zip'), zipOf({ 'index.js': WEB_APP }));
    aws('lambda', 'create-function', '--function-name', 'cli-web', '--runtime', 'nodejs22.x', '--role', ROLE, '--handler', 'index.handler', '--zip-file', `fileb://${join(work, 'web.zip')}`);
    const created = JSON.parse(aws('lambda', 'create-function-url-config', '--function-name', 'cli-web', '--auth-type', 'NONE'));
    const functionUrl: string = created.FunctionUrl;
    expect(curl('-o', '/dev/null', '-w', '%{http_code}', functionUrl)).toBe('403');
    const statement = JSON.parse(aws('lambda', 'add-permission', '--function-name', 'cli-web', '--statement-id', 'FunctionURLAllowPublicAccess',
      '--action', 'lambda:InvokeFunctionUrl', '--principal', '*', '--function-url-auth-type', 'NONE'));
    expect(JSON.parse(statement.Statement).Principal).toBe('*');
    expect(JSON.parse(JSON.parse(aws('lambda', 'get-policy', '--function-name', 'cli-web')).Policy).Statement[0].Sid).toBe('FunctionURLAllowPublicAccess');

    const page = curl('-i', functionUrl);
    expect(page).toMatch(/^HTTP\/1\.1 200/);
    expect(page.match(/^set-cookie: .*?\r?$/gim)?.map((line) => line.trim().toLowerCase())).toEqual(['set-cookie: visited=yes; path=/', 'set-cookie: theme=dark; path=/; httponly']);
    expect(page).toContain('<h1>Hello from faasbox</h1>');

    const urlId = new URL(functionUrl).hostname.split('.')[0];
    const viaPath = JSON.parse(curl(`${server.endpoint}/lambda-url/${urlId}/echo?x=1`));
    expect(viaPath).toMatchObject({ rawPath: '/echo', queryStringParameters: { x: '1' } });

    expect(JSON.parse(aws('lambda', 'list-function-url-configs', '--function-name', 'cli-web')).FunctionUrlConfigs[0].FunctionUrl).toBe(functionUrl);
    aws('lambda', 'remove-permission', '--function-name', 'cli-web', '--statement-id', 'FunctionURLAllowPublicAccess');
    expect(curl('-o', '/dev/null', '-w', '%{http_code}', functionUrl)).toBe('403');
  });

  it('requires SigV4 on an AWS_IAM URL: curl --aws-sigv4 with the account\'s keys gets through, unsigned is refused', async () => {
    await createWebFunction('iam-web');
    const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'iam-web', AuthType: 'AWS_IAM' }));
    const url = `${FunctionUrl}echo`;
    expect(curl('-o', '/dev/null', '-w', '%{http_code}', url)).toBe('403');
    expect(curl(url)).toBe('{"Message":"Forbidden"}');
    const signed = JSON.parse(curl('--aws-sigv4', 'aws:amz:us-east-1:lambda', '--user', `${server.accessKeyId}:${server.secretAccessKey}`, url));
    expect(signed.requestContext.authorizer.iam).toMatchObject({ accessKey: server.accessKeyId, accountId: server.accountId });
    const wrong = curl('-o', '/dev/null', '-w', '%{http_code}', '--aws-sigv4', 'aws:amz:us-east-1:lambda', '--user', `${server.accessKeyId}:not-the-secret`, url);
    expect(wrong).toBe('403');
  });
});
