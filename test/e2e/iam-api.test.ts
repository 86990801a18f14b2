// End to end: the IAM and STS Query APIs on a real `wrangler dev`, driven by Debian's AWS CLI v2
// (2.9), boto3 and @aws-sdk/client-iam / client-sts, each with the fields it shows and AWS's error
// codes and messages; then an account's deletion takes its roles, users and users' keys with it.
import { describe, expect, it } from 'vitest';
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, DeleteConflictException, DeleteRoleCommand, GetRoleCommand, IAMClient,
  ListPoliciesCommand, ListRolesCommand, NoSuchEntityException, PutRolePolicyCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand,
  CreateAccessKeyCommand, LimitExceededException, MalformedPolicyDocumentException,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AddPermissionCommand, CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer();
const TRUST_LAMBDA = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const LOGS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] };
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
/** Each CLI command starts a Python interpreter (1-3 s here): a test of many commands needs more than the default. */
const CLI_TIMEOUT_MS = 240_000;
const json = (text: string) => JSON.parse(text) as Record<string, any>;
/** A boto3 walk's start: an IAM client on sys.argv[1] without retries, and err(call), a refused call's [code, message]. */
const IAM_WALK_PRELUDE = `
import boto3, json, sys
from botocore.config import Config
iam = boto3.client('iam', endpoint_url=sys.argv[1], config=Config(retries={'max_attempts': 0}))
def err(call):
    try:
        call()
    except iam.exceptions.ClientError as e:
        return [e.response['Error']['Code'], e.response['Error']['Message']]
`;
/** The CLI's failure text (its stderr), for an error's code and message. */
function cliError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error).trim();
  }
  throw new Error('the command succeeded');
}

describe('AWS CLI v2 (aws iam, aws sts)', () => {
  it('create-role and get-role with IAM\'s fields; put/get/list/delete-role-policy, attach/list/detach-attached-role-policies, delete-role (boto3 in one process), get-role of it refused', () => {
    const created = json(server.aws('iam', 'create-role', '--role-name', 'cli-role', '--path', '/svc/', '--assume-role-policy-document', TRUST_LAMBDA, '--description', 'from the CLI'));
    expect(Object.keys(created.Role).sort()).toEqual(['Arn', 'AssumeRolePolicyDocument', 'CreateDate', 'Description', 'Path', 'RoleId', 'RoleName']);
    expect(created.Role).toMatchObject({ RoleName: 'cli-role', Path: '/svc/', Arn: `arn:aws:iam::${server.accountId}:role/svc/cli-role`, AssumeRolePolicyDocument: JSON.parse(TRUST_LAMBDA) });
    expect(created.Role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    const got = json(server.aws('iam', 'get-role', '--role-name', 'CLI-ROLE'));
    expect(Object.keys(got.Role).sort()).toEqual(['Arn', 'AssumeRolePolicyDocument', 'CreateDate', 'Description', 'MaxSessionDuration', 'Path', 'RoleId', 'RoleLastUsed', 'RoleName']);
    expect(got.Role.MaxSessionDuration).toBe(3600);
    expect(cliError(() => server.aws('iam', 'create-role', '--role-name', 'Cli-Role', '--assume-role-policy-document', TRUST_LAMBDA)))
      .toBe('An error occurred (EntityAlreadyExists) when calling the CreateRole operation: Role with name Cli-Role already exists.');

    // The rest of the walk in one boto3 process (the same botocore the CLI parses with; a CLI
    // command per step costs a Python start each).
    const walk = json(server.boto3(`${IAM_WALK_PRELUDE}
iam.put_role_policy(RoleName='cli-role', PolicyName='logs', PolicyDocument=sys.argv[2])
got = iam.get_role_policy(RoleName='cli-role', PolicyName='logs')
listed = iam.list_role_policies(RoleName='cli-role')['PolicyNames']
iam.attach_role_policy(RoleName='cli-role', PolicyArn=sys.argv[3])
attached = iam.list_attached_role_policies(RoleName='cli-role')['AttachedPolicies']
attachedConflict = err(lambda: iam.delete_role(RoleName='cli-role'))
iam.detach_role_policy(RoleName='cli-role', PolicyArn=sys.argv[3])
inlineConflict = err(lambda: iam.delete_role(RoleName='cli-role'))
iam.delete_role_policy(RoleName='cli-role', PolicyName='logs')
iam.delete_role(RoleName='cli-role')
print(json.dumps({'got': {k: got[k] for k in ('RoleName', 'PolicyName', 'PolicyDocument')}, 'listed': listed, 'attached': attached,
  'attachedConflict': attachedConflict, 'inlineConflict': inlineConflict}))
`, server.endpoint, JSON.stringify(LOGS), BASIC));
    expect(walk.got).toEqual({ RoleName: 'cli-role', PolicyName: 'logs', PolicyDocument: LOGS });
    expect(walk.listed).toEqual(['logs']);
    expect(walk.attached).toEqual([{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: BASIC }]);
    expect(walk.attachedConflict).toEqual(['DeleteConflict', 'Cannot delete entity, must detach all policies first.']);
    expect(walk.inlineConflict).toEqual(['DeleteConflict', 'Cannot delete entity, must delete policies first.']);
    expect(cliError(() => server.aws('iam', 'get-role', '--role-name', 'cli-role')))
      .toBe('An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name cli-role cannot be found.');
  }, CLI_TIMEOUT_MS);

  it('create-user, create-access-key (at most two), list-access-keys, update-access-key, delete-user refused while keys exist (boto3 in one process)', () => {
    const user = json(server.aws('iam', 'create-user', '--user-name', 'ci'));
    expect(Object.keys(user.User).sort()).toEqual(['Arn', 'CreateDate', 'Path', 'UserId', 'UserName']);
    expect(user.User.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    const key = json(server.aws('iam', 'create-access-key', '--user-name', 'ci')).AccessKey;
    expect(Object.keys(key).sort()).toEqual(['AccessKeyId', 'CreateDate', 'SecretAccessKey', 'Status', 'UserName']);
    expect(key).toMatchObject({ UserName: 'ci', Status: 'Active' });

    // The rest in one boto3 process, as the role walk above (the CLI's error lines are its code and message).
    const walk = json(server.boto3(`${IAM_WALK_PRELUDE}
iam.create_access_key(UserName='ci')
third = err(lambda: iam.create_access_key(UserName='ci'))
iam.update_access_key(UserName='ci', AccessKeyId=sys.argv[2], Status='Inactive')
listed = iam.list_access_keys(UserName='ci')['AccessKeyMetadata']
print(json.dumps({'third': third, 'statuses': [k['Status'] for k in listed], 'listedKeys': sorted(listed[0].keys()),
  'deleteUser': err(lambda: iam.delete_user(UserName='ci')),
  'deleteUnknownKey': err(lambda: iam.delete_access_key(UserName='ci', AccessKeyId='AKIAAAAAAAAAAAAAAAAA'))}))
`, server.endpoint, key.AccessKeyId));
    expect(walk.third).toEqual(['LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2']);
    expect(walk.statuses).toEqual(['Inactive', 'Active']);
    expect(walk.listedKeys).toEqual(['AccessKeyId', 'CreateDate', 'Status', 'UserName']);
    expect(walk.deleteUser).toEqual(['DeleteConflict', 'Cannot delete entity, must delete access keys first.']);
    expect(walk.deleteUnknownKey).toEqual(['NoSuchEntity', 'The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found.']);
  }, CLI_TIMEOUT_MS);

  it('sts get-caller-identity names the account\'s root', () => {
    expect(json(server.aws('sts', 'get-caller-identity'))).toEqual({ UserId: server.accountId, Account: server.accountId, Arn: `arn:aws:iam::${server.accountId}:root` });
  });
});

describe('boto3', () => {
  it('customer managed policies: versions (5 at most), the default, ListEntitiesForPolicy, DeletePolicy refused while attached; SimulatePrincipalPolicy', () => {
    const out = json(server.boto3(`
import boto3, json, sys
from botocore.config import Config
iam = boto3.client('iam', endpoint_url=sys.argv[1], config=Config(retries={'max_attempts': 0}))
doc = lambda action: json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': action, 'Resource': '*'}]})
def err(call):
    try:
        call()
    except iam.exceptions.ClientError as e:
        return [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
p = iam.create_policy(PolicyName='invoke', PolicyDocument=doc('lambda:InvokeFunction'), Description='d')['Policy']
arn = p['Arn']
v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc('lambda:*'), SetAsDefault=True)['PolicyVersion']
for _ in range(3): iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc('lambda:GetFunction'))
sixth = err(lambda: iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc('lambda:GetFunction')))
versions = iam.list_policy_versions(PolicyArn=arn)['Versions']
v1 = iam.get_policy_version(PolicyArn=arn, VersionId='v1')['PolicyVersion']
iam.create_user(UserName='dev')
iam.attach_user_policy(UserName='dev', PolicyArn=arn)
iam.put_user_policy(UserName='dev', PolicyName='deny-delete', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Deny', 'Action': 'lambda:DeleteFunction', 'Resource': '*'}, {'Effect': 'Allow', 'Action': 'sqs:SendMessage', 'Resource': '*', 'Condition': {'StringEquals': {'aws:SourceAccount': '111122223333'}}}]}))
entities = iam.list_entities_for_policy(PolicyArn=arn)
got = iam.get_policy(PolicyArn=arn)['Policy']
sim = iam.simulate_principal_policy(PolicySourceArn=iam.get_user(UserName='dev')['User']['Arn'], ActionNames=['lambda:InvokeFunction', 'lambda:DeleteFunction', 'sqs:SendMessage', 's3:GetObject'])['EvaluationResults']
print(json.dumps({
  'policyKeys': sorted(p.keys()), 'v2': [v2['VersionId'], v2['IsDefaultVersion'], sorted(v2.keys())], 'sixth': sixth,
  'versions': [[v['VersionId'], v['IsDefaultVersion']] for v in versions], 'v1': [v1['Document'], v1['IsDefaultVersion']],
  'entities': [entities['PolicyUsers'], entities['PolicyRoles'], entities['PolicyGroups']],
  'got': [got['DefaultVersionId'], got['AttachmentCount'], got['Description']],
  'deletePolicy': err(lambda: iam.delete_policy(PolicyArn=arn)),
  'deleteDefault': err(lambda: iam.delete_policy_version(PolicyArn=arn, VersionId='v2')),
  'malformed': err(lambda: iam.create_policy(PolicyName='bad', PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:*"}]}')),
  'noPolicy': err(lambda: iam.get_policy(PolicyArn=arn + 'x')),
  'sim': [[r['EvalActionName'], r['EvalResourceName'], r['EvalDecision'], [[m['SourcePolicyId'], m['SourcePolicyType']] for m in r['MatchedStatements']], r['MissingContextValues']] for r in sim],
}))
`, server.endpoint));
    expect(out.policyKeys).toEqual(['Arn', 'AttachmentCount', 'CreateDate', 'DefaultVersionId', 'IsAttachable', 'Path', 'PermissionsBoundaryUsageCount', 'PolicyId', 'PolicyName', 'UpdateDate']);
    expect(out.v2).toEqual(['v2', true, ['CreateDate', 'IsDefaultVersion', 'VersionId']]);
    expect(out.sixth).toEqual(['LimitExceeded', 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.', 409]);
    expect(out.versions).toEqual([['v5', false], ['v4', false], ['v3', false], ['v2', true], ['v1', false]]);
    expect(out.v1).toEqual([{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*' }] }, false]);
    expect(out.entities).toEqual([[{ UserName: 'dev', UserId: expect.stringMatching(/^AIDA/) }], [], []]);
    expect(out.got).toEqual(['v2', 1, 'd']);
    expect(out.deletePolicy).toEqual(['DeleteConflict', 'Cannot delete a policy attached to entities.', 409]);
    expect(out.deleteDefault).toEqual(['DeleteConflict', 'Cannot delete the default version of a policy.', 409]);
    expect(out.malformed).toEqual(['MalformedPolicyDocument', 'Policy statement must contain resources.', 400]);
    expect(out.noPolicy).toEqual(['NoSuchEntity', `Policy arn:aws:iam::${server.accountId}:policy/invokex was not found.`, 404]);
    expect(out.sim).toEqual([
      ['lambda:InvokeFunction', '*', 'allowed', [['invoke', 'user-managed']], []],
      ['lambda:DeleteFunction', '*', 'explicitDeny', [['deny-delete', 'user']], []],
      ['sqs:SendMessage', '*', 'implicitDeny', [], ['aws:SourceAccount']],
      ['s3:GetObject', '*', 'implicitDeny', [], []],
    ]);
  });
});

describe('@aws-sdk/client-iam and client-sts', () => {
  it('ListRoles pages with Marker; ListPolicies Scope AWS lists AWSLambdaBasicExecutionRole; errors are the SDK\'s exception classes', async () => {
    const iam = server.client(IAMClient);
    for (const name of ['page-a', 'page-b', 'page-c']) await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST_LAMBDA }));
    const first = await iam.send(new ListRolesCommand({ PathPrefix: '/', MaxItems: 2 }));
    expect(first.IsTruncated).toBe(true);
    const rest = await iam.send(new ListRolesCommand({ Marker: first.Marker }));
    const names = [...first.Roles!, ...rest.Roles!].map((r) => r.RoleName).filter((n) => n!.startsWith('page-'));
    expect(names).toEqual(['page-a', 'page-b', 'page-c']);
    expect(rest.IsTruncated).toBe(false);
    expect(decodeURIComponent(first.Roles![0].AssumeRolePolicyDocument!)).toMatch(/^\{"Version"/);
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
    expect(aws.Policies!.map((p) => p.Arn)).toContain(BASIC);

    await expect(iam.send(new GetRoleCommand({ RoleName: 'nope' }))).rejects.toThrow(NoSuchEntityException);
    await expect(iam.send(new GetRoleCommand({ RoleName: 'nope' }))).rejects.toThrow('The role with name nope cannot be found.');
    await expect(iam.send(new CreatePolicyCommand({ PolicyName: 'x', PolicyDocument: '{"Statement":[]}' }))).rejects.toThrow(MalformedPolicyDocumentException);
    await iam.send(new PutRolePolicyCommand({ RoleName: 'page-a', PolicyName: 'p', PolicyDocument: JSON.stringify(LOGS) }));
    await expect(iam.send(new DeleteRoleCommand({ RoleName: 'page-a' }))).rejects.toThrow(DeleteConflictException);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'page-a', PolicyName: 'p' }));
    for (let i = 0; i < 10; i++) {
      const policy = await iam.send(new CreatePolicyCommand({ PolicyName: `many-${i}`, PolicyDocument: JSON.stringify(LOGS) }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'page-a', PolicyArn: policy.Policy!.Arn }));
    }
    const overQuota = await iam.send(new AttachRolePolicyCommand({ RoleName: 'page-a', PolicyArn: BASIC })).catch((error: unknown) => error);
    expect(overQuota).toBeInstanceOf(LimitExceededException);
    expect(overQuota).toMatchObject({ message: 'Cannot exceed quota for PoliciesPerRole: 10', $metadata: { httpStatusCode: 409 } });
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'page-a', PolicyArn: `arn:aws:iam::${server.accountId}:policy/many-0` }));
  });

  it('AssumeRole answers Credentials and AssumedRoleUser for a role that trusts the account, within its MaxSessionDuration; an unknown role is AccessDenied', async () => {
    const iam = server.client(IAMClient);
    const sts = server.client(STSClient);
    await iam.send(new CreateRoleCommand({
      RoleName: 'operator', MaxSessionDuration: 7200,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: server.accountId }, Action: 'sts:AssumeRole' }] }),
    }));
    const asked = Date.now();
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${server.accountId}:role/operator`, RoleSessionName: 'laptop', DurationSeconds: 7200 }));
    const answered = Date.now();
    expect(Object.keys(assumed.Credentials!).sort()).toEqual(['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken']);
    // 7,200 s after the moment STS issued them, which lies between asking and the answer (Expiration has whole seconds).
    const expiresAt = assumed.Credentials!.Expiration!.getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(asked / 1000) * 1000 + 7200_000);
    expect(expiresAt).toBeLessThanOrEqual(answered + 7200_000);
    expect(assumed.AssumedRoleUser).toEqual({ AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:laptop$/), Arn: `arn:aws:sts::${server.accountId}:assumed-role/operator/laptop` });
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${server.accountId}:role/operator`, RoleSessionName: 'laptop', DurationSeconds: 7201 })))
      .rejects.toThrow('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${server.accountId}:role/missing`, RoleSessionName: 'laptop' })))
      .rejects.toThrow(`User: arn:aws:iam::${server.accountId}:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${server.accountId}:role/missing`);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${server.accountId}:root`);
  });
});

describe('a resource policy across accounts (@aws-sdk/client-lambda)', () => {
  it('lets account B invoke A\'s function when, and only when, A\'s policy allows B', async () => {
    const lambda = server.client(LambdaClient);
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'shared-fn', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => "from A";' }) } }));
    const made = await server.signedFetch('/api/admin/accounts', { method: 'POST', body: JSON.stringify({ Name: 'iam-partner' }) });
    expect(made.status).toBe(201);
    const { AccessKey } = (await made.json()) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string; AccountId: string } };
    const partner = server.client(LambdaClient, { credentials: { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey } });
    const arn = `arn:aws:lambda:${server.region}:${server.accountId}:function:shared-fn`;
    await expect(partner.send(new InvokeCommand({ FunctionName: arn }))).rejects.toThrow(
      `User: arn:aws:iam::${AccessKey.AccountId}:root is not authorized to perform: lambda:InvokeFunction on resource: ${arn} because no resource-based policy allows the lambda:InvokeFunction action`);
    await lambda.send(new AddPermissionCommand({ FunctionName: 'shared-fn', StatementId: 'partner', Action: 'lambda:InvokeFunction', Principal: AccessKey.AccountId }));
    const invoked = await partner.send(new InvokeCommand({ FunctionName: arn }));
    expect(invoked.StatusCode).toBe(200);
    expect(JSON.parse(new TextDecoder().decode(invoked.Payload))).toBe('from A');
    // Nothing else of A's opens to B: reading the function is still not B's.
    await expect(partner.send(new GetFunctionConfigurationCommand({ FunctionName: arn }))).rejects.toThrow();
  });
});

describe('account deletion', () => {
  it('takes the account\'s roles, users and users\' keys with it', async () => {
    const made = await server.signedFetch('/api/admin/accounts', { method: 'POST', body: JSON.stringify({ Name: 'iam-doomed' }) });
    expect(made.status).toBe(201);
    const { AccessKey } = (await made.json()) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string; AccountId: string } };
    const credentials = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
    const iam = server.client(IAMClient, { credentials });
    await iam.send(new CreateRoleCommand({ RoleName: 'doomed', AssumeRolePolicyDocument: TRUST_LAMBDA }));
    await iam.send(new CreateUserCommand({ UserName: 'doomed' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'doomed' }))).AccessKey!;
    const userSts = server.client(STSClient, { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
    expect((await userSts.send(new GetCallerIdentityCommand({}))).Account).toBe(AccessKey.AccountId);

    expect((await server.signedFetch(`/api/admin/accounts/${AccessKey.AccountId}`, { method: 'DELETE' })).status).toBe(204);
    await expect(userSts.send(new GetCallerIdentityCommand({}))).rejects.toThrow('The security token included in the request is invalid.');
    await expect(iam.send(new GetRoleCommand({ RoleName: 'doomed' }))).rejects.toThrow('The security token included in the request is invalid.');
  });
});
