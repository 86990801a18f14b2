// The IamStore (roles, users, inline and managed policies, identityPolicies) and the
// AccountDirectory's users' access keys, called as the other parts call them; then the IAM and STS
// Query APIs in workerd, answered in IAM's and STS's XML shapes.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, signedClient, type TestClient } from '../support/signed-client';

const ACCOUNT = '210987654321';
const store = (name: string) => env.IAM_STORE.get(env.IAM_STORE.idFromName(name));
const TRUST_LAMBDA = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const LOGS_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] });
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

describe('IamStore', () => {
  it('creates a role once (names case-insensitive), answers getRole, refuses a malformed trust policy with IAM\'s message', async () => {
    const iam = store('roles');
    const created = await iam.createRole(ACCOUNT, { roleName: 'Runner', path: '/svc/', assumeRolePolicyDocument: TRUST_LAMBDA });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value).toMatchObject({ roleName: 'Runner', arn: `arn:aws:iam::${ACCOUNT}:role/svc/Runner`, path: '/svc/', maxSessionDurationSeconds: 3600 });
    expect(created.value.roleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(created.value.createDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await iam.createRole(ACCOUNT, { roleName: 'runner', path: '/', assumeRolePolicyDocument: TRUST_LAMBDA }))
      .toEqual({ ok: false, error: 'EntityAlreadyExists', message: 'Role with name runner already exists.' });
    expect((await iam.getRole('RUNNER'))?.roleId).toBe(created.value.roleId);
    expect(await iam.getRole('nobody')).toBeUndefined();
    expect(await iam.createRole(ACCOUNT, { roleName: 'bad', path: '/', assumeRolePolicyDocument: LOGS_POLICY }))
      .toEqual({ ok: false, error: 'MalformedPolicyDocument', message: 'Has prohibited field Resource' });
  });

  it('identityPolicies: inline, then AWS managed and customer managed at the default version; undefined for no such entity', async () => {
    const iam = store('identity');
    await iam.createRole(ACCOUNT, { roleName: 'r', path: '/', assumeRolePolicyDocument: TRUST_LAMBDA });
    expect((await iam.putInlinePolicy({ kind: 'role', name: 'r' }, 'logs', LOGS_POLICY)).ok).toBe(true);
    expect((await iam.attachPolicy({ kind: 'role', name: 'r' }, BASIC)).ok).toBe(true);
    const managed = await iam.createManagedPolicy(ACCOUNT, { policyName: 'sqs', path: '/', document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }] }) });
    if (!managed.ok) throw new Error(managed.message);
    expect((await iam.attachPolicy({ kind: 'role', name: 'r' }, managed.value.arn)).ok).toBe(true);
    const v2 = await iam.createPolicyVersion(managed.value.arn, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] }), true);
    expect(v2.ok && v2.value.versionId).toBe('v2');
    const policies = await iam.identityPolicies({ kind: 'role', name: 'R' });
    expect(policies?.map((p) => [p.name, p.arn])).toEqual([['logs', undefined], ['AWSLambdaBasicExecutionRole', BASIC], ['sqs', managed.value.arn]]);
    expect(policies?.[2].document.statements[0].action).toEqual(['sqs:*']);
    expect(await iam.identityPolicies({ kind: 'user', name: 'r' })).toBeUndefined();
  });

  it('refuses deleting a role with policies, a policy attached or with versions, and the default version', async () => {
    const iam = store('conflicts');
    const ref = { kind: 'role' as const, name: 'r' };
    await iam.createRole(ACCOUNT, { roleName: 'r', path: '/', assumeRolePolicyDocument: TRUST_LAMBDA });
    await iam.putInlinePolicy(ref, 'p', LOGS_POLICY);
    expect(await iam.deleteRole('r')).toEqual({ ok: false, error: 'DeleteConflict', message: 'Cannot delete entity, must delete policies first.' });
    const managed = await iam.createManagedPolicy(ACCOUNT, { policyName: 'm', path: '/', document: LOGS_POLICY });
    if (!managed.ok) throw new Error(managed.message);
    await iam.attachPolicy(ref, managed.value.arn);
    expect(await iam.deleteRole('r')).toEqual({ ok: false, error: 'DeleteConflict', message: 'Cannot delete entity, must detach all policies first.' });
    expect(await iam.deleteManagedPolicy(managed.value.arn)).toEqual({ ok: false, error: 'DeleteConflict', message: 'Cannot delete a policy attached to entities.' });
    expect(await iam.deletePolicyVersion(managed.value.arn, 'v1')).toEqual({ ok: false, error: 'DeleteConflict', message: 'Cannot delete the default version of a policy.' });
    expect((await iam.detachPolicy(ref, managed.value.arn)).ok).toBe(true);
    expect((await iam.deleteInlinePolicy(ref, 'P')).ok).toBe(true);
    expect((await iam.deleteRole('r')).ok).toBe(true);
    for (let i = 2; i <= 5; i++) expect((await iam.createPolicyVersion(managed.value.arn, LOGS_POLICY, false)).ok).toBe(true);
    const sixth = await iam.createPolicyVersion(managed.value.arn, LOGS_POLICY, false);
    expect(sixth).toMatchObject({ ok: false, error: 'LimitExceeded' });
    expect(await iam.deleteManagedPolicy(managed.value.arn)).toMatchObject({ ok: false, error: 'DeleteConflict' });
  });

  it('the AccountDirectory keeps a user\'s keys with the user (at most 2), finds them with it, and an Inactive key no more', async () => {
    const tenant = await createTenant('keys');
    const directory = env.ACCOUNTS.get(env.ACCOUNTS.idFromName('directory'));
    const user = { userName: 'ci', userId: 'AIDAAAAAAAAAAAAAAAAAA', path: '/' };
    const first = await directory.createUserAccessKey(tenant.accountId, user, 2);
    const second = await directory.createUserAccessKey(tenant.accountId, user, 2);
    expect(first?.ok && second?.ok).toBe(true);
    expect(await directory.createUserAccessKey(tenant.accountId, user, 2)).toEqual({ ok: false, error: 'limit-exceeded' });
    if (!first?.ok) return;
    const found = await directory.findAccessKey(first.value.accessKeyId);
    expect(found).toMatchObject({ accountId: tenant.accountId, secretAccessKey: first.value.secretAccessKey, user });
    expect((await directory.findAccessKey(tenant.accessKeyId))?.user).toBeUndefined();
    expect((await directory.listUserAccessKeys(tenant.accountId, 'CI')).map((k) => k.status)).toEqual(['Active', 'Active']);
    expect(await directory.setAccessKeyStatus(tenant.accountId, 'ci', first.value.accessKeyId, 'Inactive')).toBe(true);
    expect(await directory.findAccessKey(first.value.accessKeyId)).toBeUndefined();
    expect((await directory.listUserAccessKeys(tenant.accountId, undefined)).map((k) => k.accessKeyId)).toEqual([tenant.accessKeyId]);
  });
});

/** A Query request of IAM (Version 2010-05-08) or STS (2011-06-15), signed for that service. */
function query(client: TestClient, service: 'iam' | 'sts', params: Record<string, string>): Promise<Response> {
  const version = service === 'iam' ? '2010-05-08' : '2011-06-15';
  const body = new URLSearchParams({ Version: version, ...params }).toString();
  return client.as(service).send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
}

/** The text of the first `<tag>` element, its character references decoded. */
const tagText = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1]?.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));

describe('IAM and STS Query APIs', () => {
  it('CreateRole answers IAM\'s Role with the trust policy URL-encoded; GetRole adds MaxSessionDuration and RoleLastUsed', async () => {
    const tenant = await createTenant('iam-api');
    const created = await query(tenant, 'iam', { Action: 'CreateRole', RoleName: 'fn', AssumeRolePolicyDocument: TRUST_LAMBDA, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'a' });
    const xml = await created.text();
    expect(created.status, xml).toBe(200);
    expect(xml).toMatch(/^<\?xml version="1.0"\?><CreateRoleResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><CreateRoleResult><Role><Path>\/<\/Path><RoleName>fn<\/RoleName><RoleId>AROA/);
    expect(decodeURIComponent(tagText(xml, 'AssumeRolePolicyDocument')!)).toBe(TRUST_LAMBDA);
    expect(xml).toContain('<Tags><member><Key>team</Key><Value>a</Value></member></Tags>');
    expect(xml).not.toContain('MaxSessionDuration');
    expect(xml).toMatch(/<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/CreateRoleResponse>$/);
    const got = await (await query(tenant, 'iam', { Action: 'GetRole', RoleName: 'FN' })).text();
    expect(got).toContain('<MaxSessionDuration>3600</MaxSessionDuration>');
    expect(got).toContain('<RoleLastUsed></RoleLastUsed>');
  });

  it('errors are IAM\'s ErrorResponse with code, status and message', async () => {
    const tenant = await createTenant('iam-errors');
    const missing = await query(tenant, 'iam', { Action: 'GetRole', RoleName: 'ghost' });
    expect(missing.status).toBe(404);
    const xml = await missing.text();
    expect(xml).toMatch(/^<\?xml version="1.0"\?><ErrorResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>NoSuchEntity<\/Code><Message>The role with name ghost cannot be found.<\/Message><\/Error><RequestId>/);
    const invalid = await query(tenant, 'iam', { Action: 'CreateRole', RoleName: 'a b', AssumeRolePolicyDocument: TRUST_LAMBDA });
    expect(invalid.status).toBe(400);
    expect(tagText(await invalid.text(), 'Message')).toBe("1 validation error detected: Value 'a b' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    const malformed = await query(tenant, 'iam', { Action: 'CreateRole', RoleName: 'r', AssumeRolePolicyDocument: '{' });
    expect([malformed.status, tagText(await malformed.text(), 'Code')]).toEqual([400, 'MalformedPolicyDocument']);
    const unknown = await query(tenant, 'iam', { Action: 'CreateGroup', GroupName: 'g' });
    expect([unknown.status, tagText(await unknown.text(), 'Code')]).toEqual([400, 'InvalidAction']);
  });

  it('GetCallerIdentity names the root; AssumeRole mints a session the trust policy allows, refuses one it does not', async () => {
    const tenant = await createTenant('sts');
    const identity = await (await query(tenant, 'sts', { Action: 'GetCallerIdentity' })).text();
    expect(identity).toContain(`<GetCallerIdentityResult><UserId>${tenant.accountId}</UserId><Account>${tenant.accountId}</Account><Arn>arn:aws:iam::${tenant.accountId}:root</Arn></GetCallerIdentityResult>`);
    const trustAccount = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${tenant.accountId}:root` }, Action: 'sts:AssumeRole' }] });
    await query(tenant, 'iam', { Action: 'CreateRole', RoleName: 'ops', AssumeRolePolicyDocument: trustAccount });
    await query(tenant, 'iam', { Action: 'CreateRole', RoleName: 'fn', AssumeRolePolicyDocument: TRUST_LAMBDA });
    const assumed = await query(tenant, 'sts', { Action: 'AssumeRole', RoleArn: `arn:aws:iam::${tenant.accountId}:role/ops`, RoleSessionName: 'me', DurationSeconds: '900' });
    const xml = await assumed.text();
    expect(assumed.status, xml).toBe(200);
    expect(tagText(xml, 'AccessKeyId')).toMatch(/^ASIA/);
    expect(tagText(xml, 'Arn')).toBe(`arn:aws:sts::${tenant.accountId}:assumed-role/ops/me`);
    expect(tagText(xml, 'AssumedRoleId')).toMatch(/^AROA[A-Z2-7]{17}:me$/);
    const refused = await query(tenant, 'sts', { Action: 'AssumeRole', RoleArn: `arn:aws:iam::${tenant.accountId}:role/fn`, RoleSessionName: 'me' });
    expect(refused.status).toBe(403);
    const refusal = await refused.text();
    expect(refusal).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(tagText(refusal, 'Message')).toBe(`User: arn:aws:iam::${tenant.accountId}:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${tenant.accountId}:role/fn`);
  });

  it('a request signed for iam with the STS Version is refused as a wrong-service credential', async () => {
    const response = await signedClient(undefined, undefined, 'us-east-1', 'iam').send('POST', '/', 'Action=GetCallerIdentity&Version=2011-06-15', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(403);
    expect(tagText(await response.text(), 'Message')).toBe("Credential should be scoped to correct service: 'sts'. ");
  });
});
