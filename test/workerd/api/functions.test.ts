// The Lambda function API inside workerd: shapes, status codes, validation and tenant isolation.
import { describe, expect, it } from 'vitest';
import { createTenant, signedClient } from '../support/signed-client';
import { ROLE, zipBase64 } from '../support/zip';

const ECHO = zipBase64({ 'index.js': 'exports.handler = async (event) => event;' });

function createBody(name: string, extra: Record<string, unknown> = {}) {
  return { FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: ECHO }, ...extra };
}

async function errorOf(response: Response) {
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), body: (await response.json()) as Record<string, string> };
}

describe('CreateFunction', () => {
  it('creates a function with defaults and real CodeSha256 and RevisionId', async () => {
    const tenant = await createTenant();
    const response = await tenant.send('POST', '/2015-03-31/functions', createBody('echo'));
    expect(response.status).toBe(201);
    const config = (await response.json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      FunctionName: 'echo',
      FunctionArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:echo`,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Timeout: 3,
      MemorySize: 128,
      Version: '$LATEST',
      State: 'Active',
      PackageType: 'Zip',
    });
    const zip = Uint8Array.from(atob(ECHO), (c) => c.charCodeAt(0));
    const sha = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', zip))));
    expect(config.CodeSha256).toBe(sha);
    expect(config.CodeSize).toBe(zip.byteLength);
    expect(config.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(config.LastModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  });

  it('refuses a second function of the same name with ResourceConflictException', async () => {
    const tenant = await createTenant();
    await tenant.send('POST', '/2015-03-31/functions', createBody('dup'));
    const error = await errorOf(await tenant.send('POST', '/2015-03-31/functions', createBody('dup')));
    expect(error).toMatchObject({ status: 409, type: 'ResourceConflictException', body: { Type: 'User', message: 'Function already exist: dup' } });
  });

  it.each([
    ['a name over 64 characters', { FunctionName: 'x'.repeat(65) }, 400, 'InvalidParameterValueException', /at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64/],
    ['a name with a space', { FunctionName: 'bad name' }, 400, 'ValidationException', /at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern/],
    ['a timeout of 0', { Timeout: 0 }, 400, 'ValidationException', /Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1/],
    ['a timeout over 900', { Timeout: 901 }, 400, 'ValidationException', /Value '901' at 'timeout'.*less than or equal to 900/],
    ['memory under 128', { MemorySize: 64 }, 400, 'ValidationException', /Value '64' at 'memorySize'.*greater than or equal to 128/],
    ['memory over 10240', { MemorySize: 10241 }, 400, 'ValidationException', /at 'memorySize'.*less than or equal to 10240/],
    ['a handler with spaces', { Handler: 'index. handler' }, 400, 'ValidationException', /at 'handler'.*pattern/],
    ['a description over 256', { Description: 'd'.repeat(257) }, 400, 'ValidationException', /at 'description'.*256/],
    ['an unknown runtime', { Runtime: 'python3.11' }, 400, 'InvalidParameterValueException', /python3\.11.*nodejs18\.x, nodejs20\.x, nodejs22\.x, nodejs24\.x, python3\.12, python3\.13, python3\.14/],
    ['environment over 4 KB', { Environment: { Variables: { BIG: 'x'.repeat(4100) } } }, 400, 'InvalidParameterValueException', /exceeded the 4KB limit/],
    ['a reserved variable', { Environment: { Variables: { AWS_REGION: 'x' } } }, 400, 'InvalidParameterValueException', /reserved keys.*AWS_REGION/],
    ['a zip that is not a zip', { Code: { ZipFile: btoa('not a zip at all') } }, 400, 'InvalidParameterValueException', /Could not unzip uploaded file/],
    ['an S3 code location in no bucket', { Code: { S3Bucket: 'b', S3Key: 'k' } }, 400, 'InvalidParameterValueException', /S3 Error Code: NoSuchBucket/],
    ['a bad role', { Role: 'not-a-role' }, 400, 'ValidationException', /at 'role'/],
  ])('rejects %s', async (_what, override, status, type, message) => {
    const tenant = await createTenant();
    const error = await errorOf(await tenant.send('POST', '/2015-03-31/functions', { ...createBody('f'), ...override }));
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.body.message).toMatch(message);
    expect(error.body.Type).toBe('User');
  });

  it('rejects a body that is not JSON', async () => {
    const tenant = await createTenant();
    const error = await errorOf(await tenant.send('POST', '/2015-03-31/functions', '{nope'));
    expect(error).toMatchObject({ status: 400, type: 'SerializationException' });
  });
});

describe('reading, listing, updating and deleting', () => {
  it('GetFunction returns the configuration and a Code.Location that downloads the zip', async () => {
    const tenant = await createTenant();
    await tenant.send('POST', '/2015-03-31/functions', createBody('get-me'));
    const response = await tenant.send('GET', '/2015-03-31/functions/get-me');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { Configuration: { FunctionName: string }; Code: { Location: string; RepositoryType: string } };
    expect(body.Configuration.FunctionName).toBe('get-me');
    expect(body.Code.RepositoryType).toBe('S3');
    const { exports } = await import('cloudflare:workers');
    const download = await exports.default.fetch(body.Code.Location);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(Uint8Array.from(atob(ECHO), (c) => c.charCodeAt(0)));
    const tampered = await exports.default.fetch(body.Code.Location.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')));
    expect(tampered.status).toBe(403);
  });

  it('accepts full and partial ARNs and answers 404 in Lambda shape for a missing function', async () => {
    const tenant = await createTenant();
    await tenant.send('POST', '/2015-03-31/functions', createBody('arn-fn'));
    const full = encodeURIComponent(`arn:aws:lambda:us-east-1:${tenant.accountId}:function:arn-fn`);
    expect((await tenant.send('GET', `/2015-03-31/functions/${full}/configuration`)).status).toBe(200);
    expect((await tenant.send('GET', `/2015-03-31/functions/${encodeURIComponent(`${tenant.accountId}:function:arn-fn`)}/configuration`)).status).toBe(200);
    const error = await errorOf(await tenant.send('GET', '/2015-03-31/functions/missing'));
    expect(error).toEqual({
      status: 404,
      type: 'ResourceNotFoundException',
      body: { Type: 'User', Message: `Function not found: arn:aws:lambda:us-east-1:${tenant.accountId}:function:missing` },
    });
  });

  it('pages ListFunctions with MaxItems and NextMarker', async () => {
    const tenant = await createTenant();
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5']) await tenant.send('POST', '/2015-03-31/functions', createBody(name));
    const names: string[] = [];
    let marker = '';
    for (let page = 0; page < 5; page++) {
      const response = await tenant.send('GET', `/2015-03-31/functions/?MaxItems=2${marker ? `&Marker=${marker}` : ''}`);
      const body = (await response.json()) as { Functions: { FunctionName: string }[]; NextMarker?: string };
      names.push(...body.Functions.map((f) => f.FunctionName));
      if (!body.NextMarker) break;
      marker = body.NextMarker;
    }
    expect(names).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('updates configuration and code with RevisionId guards', async () => {
    const tenant = await createTenant();
    const created = (await (await tenant.send('POST', '/2015-03-31/functions', createBody('upd'))).json()) as Record<string, string>;
    const stale = await errorOf(await tenant.send('PUT', '/2015-03-31/functions/upd/configuration', { Timeout: 10, RevisionId: 'stale' }));
    expect(stale).toMatchObject({ status: 412, type: 'PreconditionFailedException' });
    const updated = (await (await tenant.send('PUT', '/2015-03-31/functions/upd/configuration', { Timeout: 10, MemorySize: 256, Environment: { Variables: { MODE: '1' } }, RevisionId: created.RevisionId })).json()) as Record<string, unknown>;
    expect(updated).toMatchObject({ Timeout: 10, MemorySize: 256, Environment: { Variables: { MODE: '1' } } });
    expect(updated.RevisionId).not.toBe(created.RevisionId);

    const newZip = zipBase64({ 'index.js': 'exports.handler = async () => "v2";' });
    const codeResponse = await tenant.send('PUT', '/2015-03-31/functions/upd/code', { ZipFile: newZip });
    expect(codeResponse.status).toBe(200);
    const code = (await codeResponse.json()) as Record<string, unknown>;
    expect(code.CodeSha256).not.toBe(created.CodeSha256);
    expect(code.Timeout).toBe(10);
  });

  it('DeleteFunction answers 204, then the function is gone', async () => {
    const tenant = await createTenant();
    await tenant.send('POST', '/2015-03-31/functions', createBody('del'));
    expect((await tenant.send('DELETE', '/2015-03-31/functions/del')).status).toBe(204);
    expect((await tenant.send('GET', '/2015-03-31/functions/del')).status).toBe(404);
    expect((await tenant.send('DELETE', '/2015-03-31/functions/del')).status).toBe(404);
  });

  it('GetAccountSettings reports limits and usage', async () => {
    const tenant = await createTenant();
    await tenant.send('POST', '/2015-03-31/functions', createBody('s1'));
    const body = (await (await tenant.send('GET', '/2016-08-19/account-settings/')).json()) as { AccountLimit: Record<string, number>; AccountUsage: Record<string, number> };
    expect(body.AccountLimit).toMatchObject({ ConcurrentExecutions: 1000, CodeSizeZipped: 52428800, CodeSizeUnzipped: 262144000 });
    expect(body.AccountUsage.FunctionCount).toBe(1);
    expect(body.AccountUsage.TotalCodeSize).toBeGreaterThan(0);
  });
});

describe('tenants are strangers', () => {
  it('one account cannot see, read, update, invoke or delete another account\'s function', async () => {
    const alice = await createTenant('alice');
    const bob = await createTenant('bob');
    await alice.send('POST', '/2015-03-31/functions', createBody('secret-fn'));
    const list = (await (await bob.send('GET', '/2015-03-31/functions/')).json()) as { Functions: unknown[] };
    expect(list.Functions).toEqual([]);
    const aliceArn = encodeURIComponent(`arn:aws:lambda:us-east-1:${alice.accountId}:function:secret-fn`);
    expect((await bob.send('GET', '/2015-03-31/functions/secret-fn')).status).toBe(404);
    // Alice's function by its ARN: AWS's AccessDeniedException, whether it exists or not.
    for (const [method, path] of [
      ['GET', `/2015-03-31/functions/${aliceArn}`],
      ['GET', `/2015-03-31/functions/${aliceArn}/configuration`],
      ['DELETE', `/2015-03-31/functions/${aliceArn}`],
    ] as const) {
      const response = await bob.send(method, path);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    }
    // Invoke by ARN is IAM's question: alice's resource policy allows bob nothing (docs/IAM.md, "Cross-account invocation").
    const invoked = await bob.send('POST', `/2015-03-31/functions/${aliceArn}/invocations`, '{}');
    expect(invoked.status).toBe(403);
    expect(invoked.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    // Bob can use the same name for his own function.
    expect((await bob.send('POST', '/2015-03-31/functions', createBody('secret-fn'))).status).toBe(201);
    expect((await alice.send('GET', '/2015-03-31/functions/secret-fn')).status).toBe(200);
  });

  it('only the admin account manages accounts', async () => {
    const tenant = await createTenant();
    const error = await errorOf(await tenant.send('GET', '/api/admin/accounts'));
    expect(error).toMatchObject({ status: 403, type: 'AccessDeniedException' });
  });

  it('a deleted key and a deleted account stop authenticating', async () => {
    const tenant = await createTenant();
    const admin = signedClient();
    expect((await admin.send('DELETE', `/api/admin/accounts/${tenant.accountId}/keys/${tenant.accessKeyId}`)).status).toBe(204);
    const error = await errorOf(await tenant.send('GET', '/2015-03-31/functions/'));
    expect(error).toMatchObject({ status: 403, type: 'UnrecognizedClientException' });
    expect((await admin.send('DELETE', `/api/admin/accounts/${tenant.accountId}`)).status).toBe(204);
    const accounts = (await (await admin.send('GET', '/api/admin/accounts')).json()) as { Accounts: { AccountId: string }[] };
    expect(accounts.Accounts.map((a) => a.AccountId)).not.toContain(tenant.accountId);
  });
});
