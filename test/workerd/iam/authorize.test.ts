// Authorization of every call inside workerd: IAM users' keys and role sessions act within their
// policies on Lambda, SQS, Logs, EventBridge, CloudWatch, X-Ray and faasbox's own API, with AWS's
// AccessDenied shapes and messages; explicit deny wins; a changed policy takes effect within the
// cache time; cross-account Invoke follows the function's resource policy; expired and forged
// session tokens are refused; every operation of every protocol declares what it asks.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, signedClient, type Tenant, type TestClient } from '../support/signed-client';
import { eventually, temporaryClient as sessionClient } from '../support/iam-client';
import { logsApi, sqsApi, eventsApi, xrayApi } from '../support/aws-json-client';
import { lambdaApi } from '../../../src/api/lambda';
import { faasboxApi } from '../../../src/api/faasbox';
import { LAMBDA_ROUTE_ACCESS } from '../../../src/api/lambda/access';
import { FAASBOX_ROUTE_ACCESS } from '../../../src/api/faasbox/access';
import { mintSessionCredentials } from '../../../src/iam/session-token';
import { sqsJsonService, sqsQueryService } from '../../../src/api/sqs';
import { logsService } from '../../../src/api/logs';
import { eventsService } from '../../../src/api/events';

const ECHO = 'exports.handler = async (event) => ({ echoed: event });';

/** One IAM Query call of `client` (signed for `iam`), its XML text; throws unless 200. */
async function iam(client: TestClient, action: string, params: Record<string, string> = {}): Promise<string> {
  const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString();
  const response = await client.as('iam').send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded' });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${action} failed: ${response.status} ${text}`);
  return text;
}

const xmlValue = (xml: string, element: string) => new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1] ?? '';
const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** A new IAM user of `tenant` with `document` as its inline policy, and a client signing with its key. */
async function createUser(tenant: Tenant, userName: string, document?: string): Promise<TestClient & { arn: string }> {
  await iam(tenant, 'CreateUser', { UserName: userName });
  if (document) await iam(tenant, 'PutUserPolicy', { UserName: userName, PolicyName: 'inline', PolicyDocument: document });
  const key = await iam(tenant, 'CreateAccessKey', { UserName: userName });
  return { ...signedClient(xmlValue(key, 'AccessKeyId'), xmlValue(key, 'SecretAccessKey')), arn: `arn:aws:iam::${tenant.accountId}:user/${userName}` };
}

const denial = (principalArn: string, action: string, resource: string) =>
  `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

describe('an IAM user with only lambda:InvokeFunction on one function', () => {
  it('invokes it, and everything else is AccessDenied with AWS\'s message in each service\'s shape', async () => {
    const tenant = await createTenant('owner');
    await deploy(tenant, 'allowed', ECHO);
    await deploy(tenant, 'other', ECHO);
    const arn = (name: string) => `arn:aws:lambda:us-east-1:${tenant.accountId}:function:${name}`;
    const user = await createUser(tenant, 'invoker', policy({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arn('allowed') }));

    const invoked = await user.send('POST', '/2015-03-31/functions/allowed/invocations', { hello: 1 });
    expect(invoked.status).toBe(200);
    expect(await invoked.json()).toEqual({ echoed: { hello: 1 } });

    for (const [method, path, action, resource, body] of [
      ['POST', '/2015-03-31/functions', 'lambda:CreateFunction', arn('new-one'), { FunctionName: 'new-one' }],
      ['POST', '/2015-03-31/functions/other/invocations', 'lambda:InvokeFunction', arn('other'), {}],
      ['POST', '/2015-03-31/functions/allowed/invocations?Qualifier=1', 'lambda:InvokeFunction', `${arn('allowed')}:1`, {}],
      ['GET', '/2015-03-31/functions/', 'lambda:ListFunctions', '*', undefined],
      ['GET', '/2015-03-31/functions/allowed/configuration', 'lambda:GetFunctionConfiguration', arn('allowed'), undefined],
      ['DELETE', '/2015-03-31/functions/allowed', 'lambda:DeleteFunction', arn('allowed'), undefined],
    ] as const) {
      const response = await user.send(method, path, body);
      expect(response.status, path).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
      expect(await response.json()).toEqual({ Type: 'User', Message: denial(user.arn, action, resource) });
    }

    const queues = await sqsApi.response(user, 'ListQueues');
    expect(queues.status).toBe(403);
    expect(queues.headers.get('x-amzn-query-error')).toBe('AccessDenied;Sender');
    expect(await queues.json()).toEqual({
      __type: 'com.amazon.coral.service#AccessDeniedException',
      message: denial(user.arn, 'sqs:ListQueues', `arn:aws:sqs:us-east-1:${tenant.accountId}:`),
    });
    const queryQueues = await user.as('sqs').send('POST', '/', 'Action=ListQueues&Version=2012-11-05', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(queryQueues.status).toBe(403);
    expect(await queryQueues.text()).toContain('<Code>AccessDenied</Code>');

    const groups = await logsApi.response(user, 'DescribeLogStreams', { logGroupName: '/aws/lambda/allowed' });
    expect(await logsApi.error(groups, 'AccessDeniedException'))
      .toBe(denial(user.arn, 'logs:DescribeLogStreams', `arn:aws:logs:us-east-1:${tenant.accountId}:log-group:/aws/lambda/allowed:*`));
    const rules = await eventsApi.response(user, 'DescribeRule', { Name: 'nightly' });
    expect(await eventsApi.error(rules, 'AccessDeniedException'))
      .toBe(denial(user.arn, 'events:DescribeRule', `arn:aws:events:us-east-1:${tenant.accountId}:rule/nightly`));
    const traces = await xrayApi.response(user, '/TraceSummaries', { StartTime: 0, EndTime: 1 });
    expect(traces.status).toBe(403);
    expect(await traces.json()).toEqual({ Message: denial(user.arn, 'xray:GetTraceSummaries', '*') });
    const billing = await user.send('GET', '/api/billing/statement?Month=2026-12');
    expect(billing.status).toBe(403);
    expect(((await billing.json()) as { Message: string }).Message).toBe(denial(user.arn, 'faasbox:GetBillingStatement', '*'));
    const iamCall = await user.as('iam').send('POST', '/', 'Action=ListUsers&Version=2010-05-08', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(iamCall.status).toBe(403);
    expect(await iamCall.text()).toContain('<Code>AccessDenied</Code>');

    // Who am I needs no permission (as STS's GetCallerIdentity).
    expect(await (await user.send('GET', '/api/caller')).json()).toMatchObject({ Account: tenant.accountId, Arn: user.arn });
  });

  it('an explicit deny beats an allow, and a policy change takes effect within the cache time', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'fn', ECHO);
    const user = await createUser(tenant, 'dev', policy(
      { Effect: 'Allow', Action: 'lambda:*', Resource: '*' },
      { Effect: 'Deny', Action: 'lambda:DeleteFunction', Resource: '*' },
    ));
    expect((await user.send('GET', '/2015-03-31/functions/')).status).toBe(200);
    const denied = await user.send('DELETE', '/2015-03-31/functions/fn');
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { Message: string }).Message).toBe(
      `User: ${user.arn} is not authorized to perform: lambda:DeleteFunction on resource: arn:aws:lambda:us-east-1:${tenant.accountId}:function:fn with an explicit deny in an identity-based policy`);

    await iam(tenant, 'PutUserPolicy', { UserName: 'dev', PolicyName: 'inline', PolicyDocument: policy({ Effect: 'Deny', Action: 'lambda:ListFunctions', Resource: '*' }) });
    expect((await eventually(() => user.send('GET', '/2015-03-31/functions/'), 403)).status).toBe(403);
    await iam(tenant, 'DeleteUserPolicy', { UserName: 'dev', PolicyName: 'inline' });
    const created = await iam(tenant, 'CreatePolicy', { PolicyName: 'list-functions', PolicyDocument: policy({ Effect: 'Allow', Action: 'lambda:List*', Resource: '*' }) });
    await iam(tenant, 'AttachUserPolicy', { UserName: 'dev', PolicyArn: xmlValue(created, 'Arn') });
    expect((await eventually(() => user.send('GET', '/2015-03-31/functions/'), 200)).status).toBe(200);
  });

  it('a deleted user\'s key stops authenticating; an inactive key is refused as AWS refuses it', async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant, 'temp', policy({ Effect: 'Allow', Action: '*', Resource: '*' }));
    expect((await user.send('GET', '/2015-03-31/functions/')).status).toBe(200);
    await iam(tenant, 'UpdateAccessKey', { UserName: 'temp', AccessKeyId: user.accessKeyId, Status: 'Inactive' });
    const refused = await user.send('GET', '/2015-03-31/functions/');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    expect(await refused.json()).toEqual({ message: 'The security token included in the request is invalid.' });
  });
});

describe('cross-account Invoke', () => {
  it('runs another account\'s function when, and only when, its resource policy allows the caller', async () => {
    const alice = await createTenant('alice');
    const bob = await createTenant('bob');
    await deploy(alice, 'shared', ECHO);
    const arn = `arn:aws:lambda:us-east-1:${alice.accountId}:function:shared`;
    const path = `/2015-03-31/functions/${encodeURIComponent(arn)}/invocations`;

    const refused = await bob.send('POST', path, {});
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { Message: string }).Message).toBe(
      `User: arn:aws:iam::${bob.accountId}:root is not authorized to perform: lambda:InvokeFunction on resource: ${arn} because no resource-based policy allows the lambda:InvokeFunction action`);

    const added = await alice.send('POST', '/2015-03-31/functions/shared/policy', { StatementId: 'bob-invokes', Action: 'lambda:InvokeFunction', Principal: bob.accountId });
    expect(added.status).toBe(201);
    const invoked = await bob.send('POST', path, { from: 'bob' });
    expect(invoked.status).toBe(200);
    expect(await invoked.json()).toEqual({ echoed: { from: 'bob' } });

    // Bob's users need their own identity allow as well.
    const plain = await createUser(bob, 'plain');
    expect((await plain.send('POST', path, {})).status).toBe(403);
    const invoker = await createUser(bob, 'invoker', policy({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arn }));
    expect((await invoker.send('POST', path, {})).status).toBe(200);

    // Every other operation on another account's function is AWS's AccessDeniedException, even with the policy.
    expect((await bob.send('GET', `/2015-03-31/functions/${encodeURIComponent(arn)}`)).status).toBe(403);
    // A third account is still refused.
    const carol = await createTenant('carol');
    expect((await carol.send('POST', path, {})).status).toBe(403);
  });
});

describe('role sessions', () => {
  const TRUST = policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });

  async function roleOf(tenant: Tenant, roleName: string, document: string) {
    const created = await iam(tenant, 'CreateRole', { RoleName: roleName, AssumeRolePolicyDocument: TRUST });
    await iam(tenant, 'PutRolePolicy', { RoleName: roleName, PolicyName: 'inline', PolicyDocument: document });
    return { accountId: tenant.accountId, roleName, roleId: xmlValue(created, 'RoleId'), roleArn: xmlValue(created, 'Arn') };
  }

  it('a session acts within its role\'s policy, as arn:aws:sts::<account>:assumed-role/<role>/<session>', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'fn', ECHO);
    const role = await roleOf(tenant, 'reader', policy({ Effect: 'Allow', Action: 'lambda:GetFunctionConfiguration', Resource: '*' }));
    const session = sessionClient(await mintSessionCredentials(env, role, 'fn-session', 900));
    expect((await session.send('GET', '/2015-03-31/functions/fn/configuration')).status).toBe(200);
    const denied = await session.send('DELETE', '/2015-03-31/functions/fn');
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { Message: string }).Message).toBe(
      denial(`arn:aws:sts::${tenant.accountId}:assumed-role/reader/fn-session`, 'lambda:DeleteFunction', `arn:aws:lambda:us-east-1:${tenant.accountId}:function:fn`));
    expect(await (await session.send('GET', '/api/caller')).json()).toMatchObject({ Arn: `arn:aws:sts::${tenant.accountId}:assumed-role/reader/fn-session` });

    // A session of a role that no longer exists may do nothing.
    await iam(tenant, 'DeleteRolePolicy', { RoleName: 'reader', PolicyName: 'inline' });
    await iam(tenant, 'DeleteRole', { RoleName: 'reader' });
    expect((await eventually(() => session.send('GET', '/2015-03-31/functions/fn/configuration'), 403)).status).toBe(403);
  });

  it('refuses an expired token with ExpiredTokenException and a forged or another account\'s one as invalid, in each service\'s shape', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const role = await roleOf(tenant, 'any', policy({ Effect: 'Allow', Action: '*', Resource: '*' }));
    const expired = await mintSessionCredentials(env, role, 's', 900, Date.now() - 3_600_000);
    const lambda = await sessionClient(expired).send('GET', '/2015-03-31/functions/');
    expect(lambda.status).toBe(403);
    expect(lambda.headers.get('x-amzn-errortype')).toBe('ExpiredTokenException');
    expect(await lambda.json()).toEqual({ message: 'The security token included in the request is expired' });
    const sqs = await sqsApi.response(sessionClient(expired), 'ListQueues');
    expect(sqs.status).toBe(403);
    expect(await sqs.json()).toEqual({ __type: 'com.amazon.coral.service#ExpiredTokenException', message: 'The security token included in the request is expired' });
    const query = await sessionClient(expired, 'sqs').send('POST', '/', 'Action=ListQueues&Version=2012-11-05', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(await query.text()).toContain('<Code>ExpiredToken</Code>');

    const fresh = await mintSessionCredentials(env, role, 's', 900);
    const [prefix, , sealed] = fresh.sessionToken.split('.');
    for (const sessionToken of [
      `${fresh.sessionToken.slice(0, -4)}AAAA`,
      `${prefix}.${other.accountId}.${sealed}`,
      (await mintSessionCredentials(env, role, 's', 900)).sessionToken,
    ]) {
      const response = await sessionClient({ ...fresh, sessionToken }).send('GET', '/2015-03-31/functions/');
      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    }
    expect((await sessionClient(fresh).send('GET', '/2015-03-31/functions/')).status).toBe(200);
  });
});

describe('the account\'s root', () => {
  it('keeps full access without any policy', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'fn', ECHO);
    expect((await tenant.send('GET', '/2015-03-31/functions/')).status).toBe(200);
    expect((await sqsApi.response(tenant, 'ListQueues')).status).toBe(200);
    expect((await tenant.send('DELETE', '/2015-03-31/functions/fn')).status).toBe(204);
  });
});

describe('declarations', () => {
  const key = (method: string, path: string) => `${method} ${path}`;

  it('every signed Lambda and faasbox route says what it asks IAM', () => {
    const declared = new Set([...LAMBDA_ROUTE_ACCESS, ...FAASBOX_ROUTE_ACCESS].map((r) => key(r.method, r.path)));
    // The code download link is not signed: the link itself is the authorization.
    const routes = [...lambdaApi.routes, ...faasboxApi.routes].filter((r) => r.path !== '/api/code/:token' && r.method !== 'ALL');
    expect(routes.filter((r) => !declared.has(key(r.method, r.path))).map((r) => key(r.method, r.path))).toEqual([]);
  });

  it('every operation of SQS, Logs and EventBridge names its resource (only listings act on `*`)', () => {
    for (const service of [sqsJsonService, sqsQueryService, logsService, eventsService]) {
      const undeclared = Object.keys(service.operations).filter((op) => !Object.hasOwn(service.access.resources, op));
      expect(undeclared, service.access.prefix).toEqual(service === eventsService ? ['ListRules'] : []);
    }
  });
});
