// What an IAM user or role session must not reach: passing a role it may not pass to a function
// (iam:PassRole), the permissions of a role or user re-created under its old name, and the keys
// and sessions of the admin account's IAM users and roles, which authenticate like any account's.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, signedClient } from '../support/signed-client';
import { eventually, iamOk, policyOf, roleWithPolicy, temporaryClient, userWithPolicy } from '../support/iam-client';
import { mintSessionCredentials } from '../../../src/iam/session-token';
import { iamStore } from '../../../src/bindings';
import { readConfig } from '../../../src/config';
import { zipBase64 } from '../support/zip';

const ECHO = 'exports.handler = async (event) => ({ echoed: event });';
const passRoleDenial = (userArn: string, roleArn: string) =>
  `User: ${userArn} is not authorized to perform: iam:PassRole on resource: ${roleArn} because no identity-based policy allows the iam:PassRole action`;

describe('iam:PassRole', () => {
  it('CreateFunction and UpdateFunctionConfiguration with a role need iam:PassRole on it for a user, as in AWS; the root needs none', async () => {
    const tenant = await createTenant();
    const role = await roleWithPolicy(tenant, tenant.accountId, 'runner');
    const other = await roleWithPolicy(tenant, tenant.accountId, 'other');
    const user = await userWithPolicy(tenant, 'deployer', policyOf(
      { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration', 'lambda:GetFunctionConfiguration'], Resource: '*' },
    ));
    const create = (client: typeof user, name: string, roleArn: string) => client.send('POST', '/2015-03-31/functions', {
      FunctionName: name, Runtime: 'nodejs22.x', Role: roleArn, Handler: 'index.handler', Code: { ZipFile: zipBase64({ 'index.js': ECHO }) },
    });

    const refused = await create(user, 'fn', role.roleArn);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(await refused.json()).toEqual({ Type: 'User', Message: passRoleDenial(user.arn, role.roleArn) });
    expect((await user.send('GET', '/2015-03-31/functions/fn/configuration')).status).toBe(404);

    await iamOk(tenant, 'PutUserPolicy', { UserName: 'deployer', PolicyName: 'pass', PolicyDocument: policyOf({
      Effect: 'Allow', Action: 'iam:PassRole', Resource: role.roleArn, Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    }) });
    const created = await eventually(() => create(user, 'fn', role.roleArn), 201);
    expect(created.status, await created.clone().text()).toBe(201);

    const update = (roleArn?: string) => user.send('PUT', '/2015-03-31/functions/fn/configuration', roleArn ? { Role: roleArn } : { Timeout: 9 });
    expect((await update()).status).toBe(200);
    const switched = await update(other.roleArn);
    expect(switched.status).toBe(403);
    expect(await switched.json()).toEqual({ Type: 'User', Message: passRoleDenial(user.arn, other.roleArn) });

    // The account's root passes any role of its own.
    expect((await tenant.send('PUT', '/2015-03-31/functions/fn/configuration', { Role: other.roleArn })).status).toBe(200);
    await deploy(tenant, 'by-root', ECHO);
  });
});

describe('a role or user deleted and made again under its old name', () => {
  const EVERYTHING = policyOf({ Effect: 'Allow', Action: '*', Resource: '*' });
  const denial = (arn: string, action: string, resource: string) =>
    `User: ${arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

  it('gives the old role\'s sessions none of the new role\'s permissions, as AWS ties a session to its role\'s id', async () => {
    const tenant = await createTenant();
    const old = await roleWithPolicy(tenant, tenant.accountId, 'worker');
    const session = temporaryClient(await mintSessionCredentials(env, old, 'before', 900));
    await iamOk(tenant, 'DeleteRole', { RoleName: 'worker' });
    await roleWithPolicy(tenant, tenant.accountId, 'worker', EVERYTHING);

    const refused = await session.send('GET', '/2015-03-31/functions/');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ Type: 'User', Message: denial(`arn:aws:sts::${tenant.accountId}:assumed-role/worker/before`, 'lambda:ListFunctions', '*') });
    // A session of the new role has them.
    const fresh = await roleWithPolicy(tenant, tenant.accountId, 'worker-2', EVERYTHING);
    expect((await temporaryClient(await mintSessionCredentials(env, fresh, 'after', 900)).send('GET', '/2015-03-31/functions/')).status).toBe(200);
  });

  it('gives a key that outlived its user (deleted while the key was being made) none of a new same-named user\'s permissions', async () => {
    const tenant = await createTenant();
    const orphan = await userWithPolicy(tenant, 'ci');
    // DeleteUser refuses a user with keys; the store alone is what a race between the two leaves.
    expect((await iamStore(env, tenant.accountId).deleteUser('ci')).ok).toBe(true);
    await iamOk(tenant, 'CreateUser', { UserName: 'ci' });
    await iamOk(tenant, 'PutUserPolicy', { UserName: 'ci', PolicyName: 'all', PolicyDocument: EVERYTHING });
    const trusting = await iamOk(tenant, 'CreateRole', { RoleName: 'trusts-ci', AssumeRolePolicyDocument: policyOf({
      Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${tenant.accountId}:user/ci` }, Action: 'sts:AssumeRole',
    }) });

    const refused = await orphan.send('GET', '/2015-03-31/functions/');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ Type: 'User', Message: denial(orphan.arn, 'lambda:ListFunctions', '*') });
    const roleArn = /<Arn>([^<]*)<\/Arn>/.exec(trusting)![1]!;
    const assumed = await orphan.as('sts').send('POST', '/', new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: 'orphan' }).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' });
    expect(assumed.status, await assumed.clone().text()).toBe(403);
    expect(await assumed.text()).toContain('<Code>AccessDenied</Code>');
  });
});

describe('the admin account\'s IAM users and roles', () => {
  it('authenticate like any account\'s, within their policies, and never as the admin', async () => {
    const admin = signedClient();
    const { adminAccountId } = readConfig(env);
    const operator = await userWithPolicy(admin, 'operator', policyOf({ Effect: 'Allow', Action: 'lambda:ListFunctions', Resource: '*' }));
    expect((await operator.send('GET', '/2015-03-31/functions/')).status).toBe(200);
    expect(await (await operator.send('GET', '/api/caller')).json()).toMatchObject({ Account: adminAccountId, Arn: operator.arn, IsAdmin: false });
    const accounts = await operator.send('GET', '/api/admin/accounts');
    expect(accounts.status).toBe(403);

    const role = await roleWithPolicy(admin, adminAccountId, 'admin-account-role', policyOf({ Effect: 'Allow', Action: 'lambda:ListFunctions', Resource: '*' }));
    const session = temporaryClient(await mintSessionCredentials(env, role, 'ops', 900));
    expect((await session.send('GET', '/2015-03-31/functions/')).status).toBe(200);
    expect((await session.send('GET', '/api/admin/accounts')).status).toBe(403);
  });
});
