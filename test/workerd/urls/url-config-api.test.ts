// The function URL config API and the resource policy API inside workerd: Lambda's shapes,
// status codes and errors, and what DeleteFunction takes with it.
import { describe, expect, it } from 'vitest';
import { createTenant, deploy } from '../support/signed-client';
import { allowPublic, createUrl, urlFetch } from '../support/url-client';

const HELLO = 'exports.handler = async () => "hello";';

async function errorOf(response: Response) {
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), body: (await response.json()) as Record<string, string> };
}

describe('Create/Get/Update/Delete/ListFunctionUrlConfigs', () => {
  it('creates a URL with a 32-character id under the configured domain, in Lambda\'s shape', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', HELLO);
    const cors = { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-custom'], ExposeHeaders: ['x-out'], MaxAge: 600, AllowCredentials: true };
    const created = await tenant.send('POST', '/2021-10-31/functions/web/url', { AuthType: 'NONE', Cors: cors });
    expect(created.status).toBe(201);
    const body = (await created.json()) as Record<string, unknown>;
    expect(body).toEqual({
      FunctionUrl: expect.stringMatching(/^http:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.localhost\/$/),
      FunctionArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:web`,
      AuthType: 'NONE',
      Cors: cors,
      CreationTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      InvokeMode: 'BUFFERED',
    });

    const got = (await (await tenant.send('GET', '/2021-10-31/functions/web/url')).json()) as Record<string, unknown>;
    expect(got).toEqual({ ...body, LastModifiedTime: body.CreationTime });

    const again = await errorOf(await tenant.send('POST', '/2021-10-31/functions/web/url', { AuthType: 'NONE' }));
    expect(again.status).toBe(409);
    expect(again.type).toBe('ResourceConflictException');
    expect(again.body.message).toBe(
      `Failed to create function url config for [functionArn = arn:aws:lambda:us-east-1:${tenant.accountId}:function:web]. Error message:  FunctionUrlConfig exists for this Lambda function`,
    );

    const updated = await tenant.send('PUT', '/2021-10-31/functions/web/url', { AuthType: 'AWS_IAM', Cors: { AllowOrigins: ['*'] } });
    expect(updated.status).toBe(200);
    const updatedBody = (await updated.json()) as Record<string, unknown>;
    expect(updatedBody).toMatchObject({ FunctionUrl: body.FunctionUrl, AuthType: 'AWS_IAM', Cors: { AllowOrigins: ['*'] }, CreationTime: body.CreationTime });
    expect(updatedBody.LastModifiedTime).toEqual(expect.any(String));

    const listed = (await (await tenant.send('GET', '/2021-10-31/functions/web/urls')).json()) as { FunctionUrlConfigs: unknown[] };
    expect(listed.FunctionUrlConfigs).toEqual([updatedBody]);

    expect((await tenant.send('DELETE', '/2021-10-31/functions/web/url')).status).toBe(204);
    const gone = await errorOf(await tenant.send('GET', '/2021-10-31/functions/web/url'));
    expect(gone).toEqual({ status: 404, type: 'ResourceNotFoundException', body: { Type: 'User', Message: 'The resource you requested does not exist.' } });
    expect((await errorOf(await tenant.send('DELETE', '/2021-10-31/functions/web/url'))).status).toBe(404);
    expect(((await (await tenant.send('GET', '/2021-10-31/functions/web/urls')).json()) as { FunctionUrlConfigs: unknown[] }).FunctionUrlConfigs).toEqual([]);
  });

  it('validates AuthType, Cors, InvokeMode and the qualifier; a missing alias is not found', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', HELLO);
    const noAuth = await errorOf(await tenant.send('POST', '/2021-10-31/functions/web/url', {}));
    expect(noAuth.status).toBe(400);
    expect(noAuth.type).toBe('ValidationException');
    const badAuth = await errorOf(await tenant.send('POST', '/2021-10-31/functions/web/url', { AuthType: 'OPEN' }));
    expect(badAuth.body.message).toContain("Value 'OPEN' at 'authType' failed to satisfy constraint: Member must satisfy enum value set: [NONE, AWS_IAM]");
    const badAge = await errorOf(await tenant.send('POST', '/2021-10-31/functions/web/url', { AuthType: 'NONE', Cors: { MaxAge: 90000 } }));
    expect(badAge.body.message).toContain("at 'cors.maxAge' failed to satisfy constraint: Member must have value less than or equal to 86400");
    const badMode = await errorOf(await tenant.send('POST', '/2021-10-31/functions/web/url', { AuthType: 'NONE', InvokeMode: 'STREAM' }));
    expect(badMode).toMatchObject({ status: 400, type: 'ValidationException' });
    const version = await errorOf(await tenant.send('POST', '/2021-10-31/functions/web/url?Qualifier=1', { AuthType: 'NONE' }));
    expect(version).toMatchObject({ status: 400, type: 'ValidationException' });
    const latest = await errorOf(await tenant.send('POST', '/2021-10-31/functions/web/url?Qualifier=$LATEST', { AuthType: 'NONE' }));
    expect(latest).toMatchObject({ status: 400, type: 'ValidationException' });
    expect(latest.body.message).toBe("1 validation error detected: Value '$LATEST' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)");
    const alias = await errorOf(await tenant.send('POST', '/2021-10-31/functions/web/url?Qualifier=live', { AuthType: 'NONE' }));
    expect(alias).toEqual({
      status: 404, type: 'ResourceNotFoundException',
      body: { Type: 'User', Message: `Function not found: arn:aws:lambda:us-east-1:${tenant.accountId}:function:web:live` },
    });
    const missing = await errorOf(await tenant.send('POST', '/2021-10-31/functions/nope/url', { AuthType: 'NONE' }));
    expect(missing.body.Message).toBe(`Function not found: arn:aws:lambda:us-east-1:${tenant.accountId}:function:nope`);
  });

  it('keeps the qualifier a URL was created with', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', HELLO);
    await tenant.send('POST', '/2015-03-31/functions/web/versions', {});
    await tenant.send('POST', '/2015-03-31/functions/web/aliases', { Name: 'live', FunctionVersion: '1' });
    const created = (await (await tenant.send('POST', '/2021-10-31/functions/web/url?Qualifier=live', { AuthType: 'NONE' })).json()) as Record<string, string>;
    expect(created.FunctionArn).toBe(`arn:aws:lambda:us-east-1:${tenant.accountId}:function:web:live`);
    expect((await tenant.send('GET', '/2021-10-31/functions/web/url')).status).toBe(404);
    expect((await tenant.send('GET', '/2021-10-31/functions/web:live/url')).status).toBe(200);
  });

  it('accepts and keeps InvokeMode RESPONSE_STREAM (the response is buffered)', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', HELLO);
    const created = (await (await tenant.send('POST', '/2021-10-31/functions/web/url', { AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' })).json()) as Record<string, string>;
    expect(created.InvokeMode).toBe('RESPONSE_STREAM');
    await allowPublic(tenant, 'web');
    const response = await urlFetch(new URL(created.FunctionUrl).hostname.split('.')[0]);
    expect(await response.text()).toBe('"hello"');
    const updated = (await (await tenant.send('PUT', '/2021-10-31/functions/web/url', { InvokeMode: 'BUFFERED' })).json()) as Record<string, string>;
    expect(updated.InvokeMode).toBe('BUFFERED');
  });

  it('pages ListFunctionUrlConfigs with MaxItems and an opaque marker', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', HELLO);
    await createUrl(tenant, 'web');
    await tenant.send('POST', '/2015-03-31/functions/web/versions', {});
    await tenant.send('POST', '/2015-03-31/functions/web/aliases', { Name: 'live', FunctionVersion: '1' });
    await tenant.send('POST', '/2021-10-31/functions/web/url?Qualifier=live', { AuthType: 'AWS_IAM' });
    const first = (await (await tenant.send('GET', '/2021-10-31/functions/web/urls?MaxItems=1')).json()) as { FunctionUrlConfigs: { AuthType: string }[]; NextMarker: string };
    expect(first.FunctionUrlConfigs.map((u) => u.AuthType)).toEqual(['NONE']);
    const second = (await (await tenant.send('GET', `/2021-10-31/functions/web/urls?MaxItems=1&Marker=${encodeURIComponent(first.NextMarker)}`)).json()) as Record<string, unknown>;
    expect(second).toEqual({ FunctionUrlConfigs: [expect.objectContaining({ AuthType: 'AWS_IAM' })] });
    expect((await errorOf(await tenant.send('GET', '/2021-10-31/functions/web/urls?MaxItems=51'))).type).toBe('ValidationException');
  });

  it('keeps tenants apart: another account can neither see nor change the URL', async () => {
    const owner = await createTenant();
    const other = await createTenant();
    await deploy(owner, 'web', HELLO);
    await createUrl(owner, 'web');
    const arn = encodeURIComponent(`arn:aws:lambda:us-east-1:${owner.accountId}:function:web`);
    expect((await other.send('GET', `/2021-10-31/functions/${arn}/url`)).status).toBe(404);
    expect((await other.send('DELETE', `/2021-10-31/functions/${arn}/url`)).status).toBe(404);
    expect((await other.send('GET', '/2021-10-31/functions/web/url')).status).toBe(404);
  });

  it('DeleteFunction removes the URL and its policy; a new function of the same name starts clean', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', HELLO);
    const { urlId } = await createUrl(tenant, 'web');
    await allowPublic(tenant, 'web');
    expect((await urlFetch(urlId)).status).toBe(200);
    expect((await tenant.send('DELETE', '/2015-03-31/functions/web')).status).toBe(204);
    expect((await urlFetch(urlId)).status).toBe(403);
    await deploy(tenant, 'web', HELLO);
    expect((await tenant.send('GET', '/2021-10-31/functions/web/url')).status).toBe(404);
    expect((await tenant.send('GET', '/2015-03-31/functions/web/policy')).status).toBe(404);
    expect((await urlFetch(urlId)).status).toBe(403);
  });
});

describe('AddPermission, GetPolicy, RemovePermission', () => {
  it('stores statements in Lambda\'s policy document with a RevisionId', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', HELLO);
    const arn = `arn:aws:lambda:us-east-1:${tenant.accountId}:function:web`;
    expect(await errorOf(await tenant.send('GET', '/2015-03-31/functions/web/policy'))).toEqual({
      status: 404, type: 'ResourceNotFoundException', body: { Type: 'User', Message: 'The resource you requested does not exist.' },
    });

    const added = await tenant.send('POST', '/2015-03-31/functions/web/policy', {
      StatementId: 'public', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE',
    });
    expect(added.status).toBe(201);
    const publicStatement = {
      Sid: 'public', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: arn,
      Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
    };
    expect(JSON.parse(((await added.json()) as { Statement: string }).Statement)).toEqual(publicStatement);

    await tenant.send('POST', '/2015-03-31/functions/web/policy', {
      StatementId: 'partner', Action: 'lambda:InvokeFunction', Principal: '111122223333', SourceArn: 'arn:aws:s3:::bucket',
    });
    await tenant.send('POST', '/2015-03-31/functions/web/policy', { StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceAccount: tenant.accountId });
    const policy = (await (await tenant.send('GET', '/2015-03-31/functions/web/policy')).json()) as { Policy: string; RevisionId: string };
    expect(policy.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(policy.Policy)).toEqual({
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        publicStatement,
        { Sid: 'partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'lambda:InvokeFunction', Resource: arn, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::bucket' } } },
        { Sid: 's3', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: arn, Condition: { StringEquals: { 'AWS:SourceAccount': tenant.accountId } } },
      ],
    });

    const duplicate = await errorOf(await tenant.send('POST', '/2015-03-31/functions/web/policy', { StatementId: 'public', Action: 'lambda:InvokeFunction', Principal: '*' }));
    expect(duplicate).toMatchObject({ status: 409, type: 'ResourceConflictException' });
    expect(duplicate.body.message).toBe('The statement id (sid) provided already exists. Please choose a unique statement id (sid) value.');

    const stale = await errorOf(await tenant.send('DELETE', '/2015-03-31/functions/web/policy/partner?RevisionId=nope'));
    expect(stale).toMatchObject({ status: 412, type: 'PreconditionFailedException' });
    expect((await tenant.send('DELETE', `/2015-03-31/functions/web/policy/partner?RevisionId=${policy.RevisionId}`)).status).toBe(204);
    const missingSid = await errorOf(await tenant.send('DELETE', '/2015-03-31/functions/web/policy/partner'));
    expect(missingSid).toEqual({ status: 404, type: 'ResourceNotFoundException', body: { Type: 'User', Message: 'Statement partner is not found in resource policy.' } });
    await tenant.send('DELETE', '/2015-03-31/functions/web/policy/public');
    await tenant.send('DELETE', '/2015-03-31/functions/web/policy/s3');
    expect((await tenant.send('GET', '/2015-03-31/functions/web/policy')).status).toBe(404);
  });

  it('validates the statement and the function', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', HELLO);
    const badAction = await errorOf(await tenant.send('POST', '/2015-03-31/functions/web/policy', { StatementId: 'a', Action: 's3:GetObject', Principal: '*' }));
    expect(badAction).toMatchObject({ status: 400, type: 'ValidationException' });
    const badPrincipal = await errorOf(await tenant.send('POST', '/2015-03-31/functions/web/policy', { StatementId: 'a', Action: 'lambda:InvokeFunction', Principal: 'someone' }));
    expect(badPrincipal).toMatchObject({ status: 400, type: 'InvalidParameterValueException' });
    const badSid = await errorOf(await tenant.send('POST', '/2015-03-31/functions/web/policy', { StatementId: 'no spaces', Action: 'lambda:InvokeFunction', Principal: '*' }));
    expect(badSid.type).toBe('ValidationException');
    const missing = await errorOf(await tenant.send('POST', '/2015-03-31/functions/nope/policy', { StatementId: 'a', Action: 'lambda:InvokeFunction', Principal: '*' }));
    expect(missing.status).toBe(404);
  });
});
