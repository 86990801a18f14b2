// Credentials inside functions, through real invocations in workerd: each new environment gets a
// session of its execution role (Lambda's three variables, session name = the function's name)
// and AWS_ENDPOINT_URL; a warm one keeps its own; requests to that endpoint are served by the
// Worker's own app in process, signed like any other and decided by the role's policies (aws4fetch in
// the bundle: GetFunctionConfiguration on itself allowed, DeleteFunction denied), and only its AWS APIs answer them.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import aws4fetchSource from '../../../node_modules/aws4fetch/dist/aws4fetch.esm.mjs?raw';
import fixtureSource from '../../fixtures/functions/signs-own-api-calls.mjs?raw';
import { createTenant, type Tenant } from '../support/signed-client';
import { ROLE, zipBase64 } from '../support/zip';
import { openSessionToken } from '../../../src/iam/session-token';
import { FUNCTION_CREDENTIALS_SECONDS } from '../../../src/limits';
import { fetchSubsegment } from '../../../src/traces/segments';

interface Call { method: string; path: string; service?: string; origin?: string; body?: unknown }
interface Seen {
  accessKeyId: string; secretAccessKey: string; sessionToken: string; endpoint: string;
  results: { status?: number; errorType?: string | null; body?: string; error?: string }[];
}

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant();
  await createCaller('caller');
}, 30_000);

async function createCaller(name: string, role = ROLE): Promise<void> {
  const response = await tenant.send('POST', '/2015-03-31/functions', {
    FunctionName: name, Runtime: 'nodejs22.x', Role: role, Handler: 'index.handler', Timeout: 10,
    Code: { ZipFile: zipBase64({ 'index.mjs': fixtureSource, 'aws4fetch.mjs': aws4fetchSource }) },
  });
  expect(response.status, await response.clone().text()).toBe(201);
}

/** An IAM Query call of the tenant; the answer's XML. */
async function iam(params: Record<string, string>): Promise<string> {
  const form = new URLSearchParams({ Version: '2010-05-08', ...params });
  const response = await tenant.as('iam').send('POST', '/', form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  const xml = await response.text();
  expect(response.status, xml).toBe(200);
  return xml;
}

/** Creates a role Lambda may assume, with `policy` inline if given; answers its RoleId. */
async function createRole(roleName: string, path = '/', policy?: unknown): Promise<string> {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const xml = await iam({ Action: 'CreateRole', RoleName: roleName, Path: path, AssumeRolePolicyDocument: trust });
  if (policy) await iam({ Action: 'PutRolePolicy', RoleName: roleName, PolicyName: 'own', PolicyDocument: JSON.stringify(policy) });
  return /<RoleId>([^<]+)<\/RoleId>/.exec(xml)![1]!;
}

async function invokeWith(calls: Call[], name = 'caller'): Promise<Seen> {
  const response = await tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, { calls });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get('x-amz-function-error'), text).toBeNull();
  return JSON.parse(text) as Seen;
}

describe("a function's credentials", () => {
  it("are a session of its role named for the function, lasting the environment's life", async () => {
    const seen = await invokeWith([]);
    expect(seen.endpoint).toBe('https://aws.faasbox.internal');
    expect(seen.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(seen.secretAccessKey).toHaveLength(40);
    const claims = await openSessionToken(env, seen.sessionToken, seen.accessKeyId);
    expect(claims).toMatchObject({ accountId: tenant.accountId, roleName: 'lambda-role', sessionName: 'caller', secretAccessKey: seen.secretAccessKey });
    // The placeholder role names another account: the session is always one of the function's own.
    expect(claims.roleArn).toBe(`arn:aws:iam::${tenant.accountId}:role/lambda-role`);
    expect(claims.roleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(claims.expiresAt - claims.issuedAt).toBe(FUNCTION_CREDENTIALS_SECONDS * 1000);
  });

  it("of a role the account has carry that role's id and ARN, its path included", async () => {
    const roleId = await createRole('reporter', '/service-role/');
    const arn = `arn:aws:iam::${tenant.accountId}:role/service-role/reporter`;
    await createCaller('reporter', arn);
    const seen = await invokeWith([], 'reporter');
    expect(await openSessionToken(env, seen.sessionToken, seen.accessKeyId)).toMatchObject({ roleName: 'reporter', roleId, roleArn: arn, sessionName: 'reporter' });
  });

  it('stay those of the environment while it is warm, and are new for a new one', async () => {
    const first = await invokeWith([]);
    const warm = await invokeWith([]);
    expect(warm.accessKeyId).toBe(first.accessKeyId);
    expect(warm.sessionToken).toBe(first.sessionToken);
    // A configuration change is a new revision, so a new environment.
    const update = await tenant.send('PUT', '/2015-03-31/functions/caller/configuration', { Description: 'changed' });
    expect(update.status).toBe(200);
    const fresh = await invokeWith([]);
    expect(fresh.accessKeyId).not.toBe(first.accessKeyId);
  });
});

describe('the internal endpoint', () => {
  it("is served by the platform in process, and a call is decided by the function's role: allowed within its policy, denied outside it", async () => {
    const functionArn = `arn:aws:lambda:us-east-1:${tenant.accountId}:function:self-reader`;
    await createRole('self-reader', '/', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:GetFunctionConfiguration', Resource: functionArn }] });
    await createCaller('self-reader', `arn:aws:iam::${tenant.accountId}:role/self-reader`);
    const [own, deletion] = (await invokeWith([
      { method: 'GET', path: '/2015-03-31/functions/self-reader/configuration' },
      { method: 'DELETE', path: '/2015-03-31/functions/self-reader' },
    ], 'self-reader')).results;
    expect(own!.status, own!.body ?? own!.error).toBe(200);
    expect(JSON.parse(own!.body!)).toMatchObject({ FunctionName: 'self-reader', FunctionArn: functionArn });
    expect(deletion!.status).toBe(403);
    expect(deletion!.errorType).toBe('AccessDeniedException');
    expect(JSON.parse(deletion!.body!).Message).toBe(
      `User: arn:aws:sts::${tenant.accountId}:assumed-role/self-reader/self-reader is not authorized to perform: lambda:DeleteFunction on resource: ${functionArn} because no identity-based policy allows the lambda:DeleteFunction action`,
    );
    // Still there: the refusal came before the operation.
    expect((await tenant.send('GET', '/2015-03-31/functions/self-reader/configuration')).status).toBe(200);
  });

  it('a placeholder role (one that does not exist) may do what FAASBOX_UNKNOWN_ROLES gives it: allow-all in these tests, within its own account', async () => {
    // `caller` was created with the suites' placeholder role, which no account has.
    const [own] = (await invokeWith([{ method: 'GET', path: '/2015-03-31/functions/caller/configuration' }])).results;
    expect(own!.status, own!.body ?? own!.error).toBe(200);
  });

  it("answers only the AWS APIs: faasbox's own /api, the admin API, function URL paths and the console are unknown there", async () => {
    const paths = ['/api/admin/accounts', '/api/caller', '/lambda-url/abc/', '/console', '/'];
    const { results } = await invokeWith(paths.map((path) => ({ method: 'GET', path })));
    for (const [index, result] of results.entries()) {
      expect(result.status, paths[index]).toBe(404);
      expect(result.errorType, paths[index]).toBe('UnknownOperationException');
    }
  });

  it('is the https origin only: the same name over http is refused by the egress rules, as every .internal name', async () => {
    const { results } = await invokeWith([{ method: 'GET', path: '/2015-03-31/functions', origin: 'http://aws.faasbox.internal' }]);
    expect(results[0]!.error).toBe('TypeError: faasbox: fetch to aws.faasbox.internal refused: private names are not reachable from functions');
  });
});

describe('traces', () => {
  it("keep no presigned request's session token or signature", () => {
    const url = 'https://aws.faasbox.internal/2015-03-31/functions?X-Amz-Credential=ASIAEXAMPLE%2F20261201%2Fus-east-1%2Flambda%2Faws4_request&X-Amz-Security-Token=fbxs1.secret&X-Amz-Signature=abc123';
    const subsegment = fetchSubsegment('1-00000000-000000000000000000000000', { spanId: '0123456789abcdef', method: 'GET', url, startedAtMs: 0, endedAtMs: 1, status: 200 });
    const recorded = subsegment.http?.request?.url ?? '';
    expect(recorded).toContain('X-Amz-Security-Token=REDACTED');
    expect(recorded).toContain('X-Amz-Signature=REDACTED');
    expect(recorded).not.toContain('fbxs1.secret');
    expect(recorded).toContain('X-Amz-Credential=ASIAEXAMPLE');
  });
});

