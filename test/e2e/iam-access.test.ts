// End to end against `wrangler dev`: an IAM user's key made with the AWS CLI v2 acts within its
// policy through the AWS SDK for JavaScript, the CLI and boto3 (AccessDenied with AWS's message
// for everything else), and a role session from STS AssumeRole acts within its role's policy.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { useDevServer } from './support/harness';
import { execFileSync } from 'node:child_process';
import { AWS_CLI, awsCliEnv, runBoto3 } from './support/aws-cli';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
const aws = (...args: string[]) => server.aws('--output', 'json', ...args);
const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

interface Keys { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** The AWS CLI v2 signing with `keys` (a session's token in AWS_SESSION_TOKEN) instead of the account's. */
function awsAs(keys: Keys, ...args: string[]): string {
  const keyed = { endpoint: server.endpoint, region: server.region, accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey };
  return execFileSync(AWS_CLI, ['--endpoint-url', server.endpoint, '--output', 'json', ...args], {
    cwd: server.workDir, encoding: 'utf8', stdio: 'pipe',
    env: { ...awsCliEnv(keyed, server.workDir), ...(keys.sessionToken ? { AWS_SESSION_TOKEN: keys.sessionToken } : {}) },
  });
}

/** The CLI's stderr of a refused command. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
  throw new Error('the command was not refused');
}

let userKeys: Keys;
let userArn: string;
const fnArn = (name: string) => `arn:aws:lambda:${server.region}:${server.accountId}:function:${name}`;

// The functions and policies through the SDK (each CLI command costs a Python start); the user and
// its key through the CLI.
beforeAll(async () => {
  const lambda = server.client(LambdaClient);
  for (const name of ['allowed', 'other']) {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (e) => ({ got: e });' }) } }));
  }
  userArn = JSON.parse(aws('iam', 'create-user', '--user-name', 'invoker')).User.Arn;
  await server.client(IAMClient).send(new PutUserPolicyCommand({
    UserName: 'invoker', PolicyName: 'invoke-one', PolicyDocument: policy({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fnArn('allowed') }),
  }));
  const key = JSON.parse(aws('iam', 'create-access-key', '--user-name', 'invoker')).AccessKey;
  userKeys = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
});

const denial = (action: string, resource: string) =>
  `User: ${userArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

describe('a user with only lambda:InvokeFunction on one function', () => {
  it('the AWS SDK for JavaScript: invokes it; CreateFunction, another function, ListFunctions and SQS are AccessDenied', async () => {
    const lambda = server.client(LambdaClient, { credentials: userKeys });
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'allowed', Payload: new TextEncoder().encode('{"a":1}') }));
    expect(JSON.parse(new TextDecoder().decode(invoked.Payload))).toEqual({ got: { a: 1 } });
    for (const [command, action, resource] of [
      [new InvokeCommand({ FunctionName: 'other' }), 'lambda:InvokeFunction', fnArn('other')],
      [new ListFunctionsCommand({}), 'lambda:ListFunctions', '*'],
      [new CreateFunctionCommand({ FunctionName: 'mine', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': '' }) } }),
        'lambda:CreateFunction', fnArn('mine')],
    ] as const) {
      await expect(lambda.send(command as never)).rejects.toMatchObject({ name: 'AccessDeniedException', message: denial(action, resource), $metadata: { httpStatusCode: 403 } });
    }
    const sqs = server.client(SQSClient, { credentials: userKeys });
    await expect(sqs.send(new ListQueuesCommand({}))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 }, message: denial('sqs:ListQueues', `arn:aws:sqs:${server.region}:${server.accountId}:`) });
  });

  it('the AWS CLI v2 and boto3: the same answers', () => {
    const out = join(server.workDir, 'out.json');
    awsAs(userKeys, 'lambda', 'invoke', '--function-name', 'allowed', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"b":2}', out);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ got: { b: 2 } });
    expect(refusal(() => awsAs(userKeys, 'lambda', 'get-function', '--function-name', 'allowed')))
      .toContain(`(AccessDeniedException) when calling the GetFunction operation: ${denial('lambda:GetFunction', fnArn('allowed'))}`);
    expect(refusal(() => awsAs(userKeys, 'sqs', 'list-queues'))).toContain('AccessDenied');

    const script = `
import boto3, json, sys
endpoint, key, secret = sys.argv[1:4]
session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret)
answers = {}
for name, call in [('logs', lambda: session.client('logs', endpoint_url=endpoint).describe_log_groups()),
                   ('lambda', lambda: session.client('lambda', endpoint_url=endpoint).list_functions())]:
    try:
        call()
        answers[name] = 'allowed'
    except Exception as error:
        answers[name] = [error.response['Error']['Code'], error.response['Error']['Message']]
print(json.dumps(answers))
`;
    const answers = JSON.parse(runBoto3({ endpoint: server.endpoint, region: server.region, ...userKeys }, server.workDir, script, server.endpoint, userKeys.accessKeyId, userKeys.secretAccessKey));
    expect(answers).toEqual({
      logs: ['AccessDeniedException', denial('logs:DescribeLogGroups', `arn:aws:logs:${server.region}:${server.accountId}:log-group:*`)],
      lambda: ['AccessDeniedException', denial('lambda:ListFunctions', '*')],
    });
  });
});

describe('a role session from STS AssumeRole', () => {
  it('acts within the role\'s policy', async () => {
    const trust = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${server.accountId}:root` }, Action: 'sts:AssumeRole' });
    const iam = server.client(IAMClient);
    const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'reader', PolicyName: 'read', PolicyDocument: policy({ Effect: 'Allow', Action: ['lambda:GetFunctionConfiguration', 'lambda:ListFunctions'], Resource: '*' }),
    }));
    const { Credentials } = JSON.parse(aws('sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', 'e2e'));
    const credentials = { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken };
    expect(credentials.accessKeyId).toMatch(/^ASIA/);

    const lambda = server.client(LambdaClient, { credentials });
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'allowed' }))).FunctionName).toBe('allowed');
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'allowed' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${server.accountId}:assumed-role/reader/e2e is not authorized to perform: lambda:InvokeFunction on resource: ${fnArn('allowed')} because no identity-based policy allows the lambda:InvokeFunction action`,
    });
    const identity = JSON.parse(awsAs(credentials, 'sts', 'get-caller-identity'));
    expect(identity.Arn).toBe(`arn:aws:sts::${server.accountId}:assumed-role/reader/e2e`);
  });
});
